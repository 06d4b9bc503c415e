"""One spreadsheet row: its cells checked and turned into a ParsedRow, or the
problems naming the column and the reason; and the row's stable key.

The rules a ticket's fields follow are `tickets.validation`'s, the same that
`ticket_create` applies; what is here is only what a spreadsheet adds (channel
and college spelled many ways, several contacts in one cell, dates written as
text, oversized cells). No query per row: colleges are read once per file.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from imports.reading import EXCERPT_CHARS, cell_text
from supportdesk.privacy import mask_id_numbers
from tickets import validation
from tickets.cleaning import strip_controls
from tickets.models import Channel
from tickets.selectors import college_aliases, college_key

# Any cell beyond this is a bad row (the text column has its own, smaller limit).
CELL_MAX_CHARS = 10_000

CHANNEL_ALIASES = {
    Channel.QQ: ["qq", "qq群", "qq消息"],
    Channel.WECHAT: [
        "wechat",
        "wecom",
        "weixin",
        "微信",
        "企业微信",
        "企业微信群",
        "微信群",
        "企业微信/微信",
        "企微",
    ],
    Channel.EMAIL: ["email", "e-mail", "mail", "邮件", "邮箱", "电子邮件"],
    Channel.PHONE: ["phone", "tel", "电话", "手机", "热线"],
    Channel.WALK_IN: ["walkin", "walk_in", "walk-in", "现场", "到访"],
    Channel.COLLEGE: ["college", "学院", "学院转来"],
}
_CHANNEL_LOOKUP = {
    unicodedata.normalize("NFKC", alias).lower(): str(channel)
    for channel, aliases in CHANNEL_ALIASES.items()
    for alias in [*aliases, channel.value, str(channel.label)]
}


@dataclass
class ParsedRow:
    number: int
    text: str
    channel: str
    candidate_number: str = ""
    candidate_name: str = ""
    college_id: int | None = None
    college_code: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    contact_wechat: str = ""
    created_at: datetime | None = None
    key: str = ""


@dataclass
class RowProblem:
    number: int
    column: str
    reason: str
    value: str = ""


def _excerpt(value) -> str:
    text = mask_id_numbers(strip_controls(str(value if value is not None else "")))
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS] + "…"


_DATE_RE = re.compile(
    r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
    r"(?:[ T]+(\d{1,2})[:：时](\d{1,2})(?:[:：分](\d{1,2})(?:\.\d+)?秒?)?)?$"
)


def parse_created_at(value, tz) -> datetime:
    """A date or date-time cell as an aware datetime (naive means local time). Raises ValueError."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip()
        match = _DATE_RE.match(text)
        if match:
            parts = [int(p) if p else 0 for p in match.groups()]
            year, month, day, hour, minute, second = parts
            moment = datetime(year, month, day, hour, minute, second)
        else:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=tz)
    return moment


class RowParser:
    """Validates cells into a ParsedRow, or RowProblems naming the column and reason."""

    def __init__(self, mapping: dict[str, int], default_channel: str = ""):
        self.mapping = mapping
        self.default_channel = default_channel
        self.colleges = college_aliases()
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.latest = timezone.now() + timedelta(days=1)
        self.earliest = datetime(2000, 1, 1, tzinfo=self.tz)

    def cells(self, cells: list) -> dict:
        return {
            column: (cells[index] if index < len(cells) else None)
            for column, index in self.mapping.items()
        }

    def parse(self, number: int, raw: dict) -> ParsedRow | list[RowProblem]:
        problems = []

        def bad(column, reason, value=""):
            problems.append(RowProblem(number, column, reason, _excerpt(value)))

        values: dict[str, Any] = {}  # text of each column; created_at as the cell has it
        for column, value in raw.items():
            if column == "created_at" and isinstance(value, datetime | date):
                values[column] = value
                continue
            text = cell_text(value)
            if column != "text" and (reason := validation.length_error(text, CELL_MAX_CHARS)):
                bad(column, reason, text)
                values[column] = None  # already reported
                continue
            values[column] = text

        text = mask_id_numbers(re.sub(r"\s+", " ", values.get("text") or "").strip())
        if reason := validation.text_error(text):
            bad("text", reason, text)

        channel_raw = values.get("channel") or ""
        channel = ""
        if channel_raw:
            channel = _CHANNEL_LOOKUP.get(
                unicodedata.normalize("NFKC", channel_raw).strip().lower(), ""
            )
            if reason := validation.channel_error(channel):
                bad("channel", reason, channel_raw)
        elif values.get("channel") is not None or "channel" not in self.mapping:
            channel = self.default_channel
            if not channel:
                bad("channel", _("渠道为空，且未指定默认渠道"))

        # A leading apostrophe is how spreadsheets keep long digit strings as text.
        candidate_number = re.sub(r"\s", "", values.get("candidate_number") or "").lstrip("'")
        if reason := validation.candidate_number_error(candidate_number):
            bad("candidate_number", reason, candidate_number)

        college_id, college_code = None, ""
        college_raw = values.get("college") or ""
        if college_raw:
            found = self.colleges.get(college_key(college_raw))
            if found:
                college_id, college_code = found
            else:
                bad("college", _("未知学院"), college_raw)

        phone, email, wechat = self._contacts(values.get("contact") or "", bad)
        created_at = self._created_at(values.get("created_at"), bad)

        name = values.get("candidate_name") or ""
        if reason := validation.candidate_name_error(name):
            bad("candidate_name", reason, name)

        if problems:
            return problems
        row = ParsedRow(
            number=number,
            text=text,
            channel=channel,
            candidate_number=candidate_number,
            candidate_name=name,
            college_id=college_id,
            college_code=college_code,
            contact_phone=phone,
            contact_email=email,
            contact_wechat=wechat,
            created_at=created_at,
        )
        row.key = row_key(row)
        return row

    @staticmethod
    def _contacts(cell: str, bad) -> tuple[str, str, str]:
        """One cell may hold a phone, an email and a WeChat id; the first of each is kept."""
        phone = email = wechat = ""
        for part in re.split(r"[,;/，；、\s]+", cell):
            if not part:
                continue
            if "@" in part:
                if reason := validation.email_error(part):
                    bad("contact", reason, part)
                email = email or part
            elif validation.contact_kind(part) == "phone":
                if reason := validation.phone_error(part):
                    bad("contact", reason, part)
                phone = phone or part
            elif reason := validation.wechat_error(part):
                bad("contact", reason, part)
            else:
                wechat = wechat or part
        return phone, email, wechat

    def _created_at(self, value, bad) -> datetime | None:
        if value in (None, ""):
            return None
        try:
            created_at = parse_created_at(value, self.tz)
        except (ValueError, TypeError, OverflowError):
            bad("created_at", _("无法识别的时间（例：2026-03-20 14:05）"), value)
            return None
        if created_at > self.latest:
            bad("created_at", _("时间晚于当前时间"), value)
        elif created_at < self.earliest:
            bad("created_at", _("时间早于 2000 年"), value)
        return created_at


def row_key(row: ParsedRow) -> str:
    """The same message from the same candidate at the same time: one ticket.

    Built from normalized values so that re-saving the spreadsheet (another
    encoding, XLSX instead of CSV, extra spaces) keeps the key.
    """
    moment = (
        row.created_at.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%S")
        if row.created_at
        else ""
    )
    text = unicodedata.normalize("NFKC", row.text).casefold()
    parts = [text, row.channel, row.candidate_number, row.college_code, moment]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
