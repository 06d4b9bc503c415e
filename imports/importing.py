"""Streaming CSV/XLSX intake: read a row, validate it, triage it, write in batches.

Memory stays flat whatever the file size: rows are read one at a time (csv
module / openpyxl read-only mode, which keeps only an XLSX file's table of
distinct strings) and written `BATCH_SIZE` at a time. Each
batch commits in its own transaction together with the job's resume point,
so a crash leaves whole batches or nothing, never half a row. Every row gets
a stable key (`row_key`) stored in Ticket.source_key: importing the same row
twice adds nothing.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import logging
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, reset_queries, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from guide.triage import suggest
from imports.models import STALL_AFTER, ImportJob, ImportRowError, JobStatus
from tickets.models import Channel, College, EventKind, Status, Ticket, TicketEvent
from tickets.services import TEXT_MAX_LENGTH, _looks_like_phone

log = logging.getLogger(__name__)

BATCH_SIZE = 1000
# Any cell beyond this is a bad row (the text column has its own, smaller limit).
CELL_MAX_CHARS = 10_000
# The csv module refuses longer fields; a bigger cell than this is a broken file.
CSV_FIELD_LIMIT = 16 * 1024 * 1024
EXCERPT_CHARS = 80

# Header aliases, compared after `_norm_header` (NFKC, lower case, no spaces or
# punctuation, no bracketed notes such as "（必填）").
HEADER_ALIASES = {
    "text": [
        "text",
        "message",
        "content",
        "内容",
        "问题",
        "原话",
        "考生原话",
        "留言",
        "消息",
        "消息内容",
        "问题描述",
        "咨询内容",
        "描述",
    ],
    "channel": ["channel", "source", "渠道", "来源", "来源渠道", "咨询渠道"],
    "candidate_number": [
        "candidatenumber",
        "candidateno",
        "examno",
        "考生号",
        "考生编号",
        "考号",
        "准考证号",
    ],
    "college": ["college", "school", "学院", "报考学院", "院系", "所在学院"],
    "contact": [
        "contact",
        "phone",
        "email",
        "联系方式",
        "联系电话",
        "电话",
        "手机",
        "手机号",
        "邮箱",
    ],
    "created_at": [
        "createdat",
        "time",
        "date",
        "datetime",
        "timestamp",
        "时间",
        "日期",
        "创建时间",
        "发送时间",
        "提交时间",
        "留言时间",
        "咨询时间",
    ],
    "candidate_name": ["candidatename", "name", "姓名", "考生姓名"],
}
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


class ImportFileError(Exception):
    """The whole file cannot be read (not a row problem). The message is for the user."""


def _norm_header(value) -> str:
    text = unicodedata.normalize("NFKC", str(value or "")).strip().lower()
    text = re.sub(r"\(.*?\)", "", text)
    return re.sub(r"[\s_\-*:.]", "", text)


_HEADER_LOOKUP = {
    _norm_header(alias): column for column, aliases in HEADER_ALIASES.items() for alias in aliases
}
_CHANNEL_LOOKUP = {
    unicodedata.normalize("NFKC", alias).lower(): str(channel)
    for channel, aliases in CHANNEL_ALIASES.items()
    for alias in [*aliases, channel.value, str(channel.label)]
}


def map_header(cells) -> tuple[dict[str, int], list[str]]:
    """Column name -> index, and the headers that were ignored."""
    mapping: dict[str, int] = {}
    ignored = []
    for index, cell in enumerate(cells):
        column = _HEADER_LOOKUP.get(_norm_header(cell))
        if column and column not in mapping:
            mapping[column] = index
        elif str(cell or "").strip():
            ignored.append(str(cell).strip()[:EXCERPT_CHARS])
    if "text" not in mapping:
        raise ImportFileError(
            _("第 1 行（表头）没有“text / 内容”列。表头应包含：%(columns)s。")
            % {"columns": "text, channel, candidate_number, college, contact, created_at"}
        )
    return mapping, ignored


# ---------------------------------------------------------------- reading files


@dataclass
class RowSource:
    file_format: str
    encoding: str
    header: list
    rows: Iterator[tuple[int, list]]  # (spreadsheet row number, cells)
    rows_total: int | None
    close: callable = lambda: None


def detect_encoding(path: Path) -> tuple[str, int]:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030; and the line count.

    Decodes the whole file once, incrementally: a GB18030 byte deep in the
    file must not be found only after half of it was imported.
    """
    with open(path, "rb") as f:
        head = f.read(4)
    if head.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        decoder = codecs.getincrementaldecoder(encoding)()
        lines = 0
        try:
            with open(path, "rb") as f:
                while chunk := f.read(1 << 20):
                    decoder.decode(chunk)
                    lines += chunk.count(b"\n")
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding, lines
    raise ImportFileError(_("无法识别文件编码：请另存为 UTF-8 或 GB18030 编码的 CSV，或 XLSX。"))


def _csv_rows(path: Path) -> RowSource:
    encoding, lines = detect_encoding(path)
    csv.field_size_limit(CSV_FIELD_LIMIT)
    f = open(path, encoding=encoding, newline="")  # noqa: SIM115 -- closed by RowSource.close
    first = f.readline()
    if "\x00" in first:
        f.close()
        raise ImportFileError(_("这不是文本格式的 CSV 文件。"))
    delimiter = max([",", "\t", ";"], key=first.count)
    f.seek(0)
    reader = csv.reader(f, delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        f.close()
        raise ImportFileError(_("文件是空的。")) from None
    except csv.Error as exc:
        f.close()
        raise ImportFileError(_("第 1 行无法读取：%(error)s") % {"error": exc}) from None

    def rows():
        number = 1
        try:
            for cells in reader:
                number += 1
                yield number, cells
        except csv.Error as exc:
            raise ImportFileError(
                _("第 %(row)d 行起文件格式损坏（%(error)s）；此前的行已处理。")
                % {"row": number + 1, "error": exc}
            ) from None

    total = max(lines - 1, 0) if encoding != "utf-16" else None
    return RowSource("csv", encoding, header, rows(), total, f.close)


def _count_xlsx_rows(path: Path, sheet) -> int | None:
    """Rows of a sheet saved without its size (write-only exporters), for the progress bar."""
    member = getattr(sheet, "_worksheet_path", None)
    if not member:
        return None
    count, tail = 0, b""
    try:
        with zipfile.ZipFile(path) as archive, archive.open(member.lstrip("/")) as xml:
            while chunk := xml.read(1 << 20):
                data = tail + chunk
                count += data.count(b"<row ") + data.count(b"<row>")
                count += data.count(b":row ") + data.count(b":row>")
                count -= tail.count(b"<row ") + tail.count(b"<row>")
                count -= tail.count(b":row ") + tail.count(b":row>")
                tail = data[-5:]
    except (KeyError, zipfile.BadZipFile, OSError):
        return None
    return count or None


def _xlsx_rows(path: Path) -> RowSource:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    # A file object, not the path: openpyxl judges a path by its extension.
    handle = open(path, "rb")  # noqa: SIM115 -- closed by RowSource.close
    try:
        workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        handle.close()
        raise ImportFileError(_("XLSX 文件无法打开（%(error)s）。") % {"error": exc}) from None
    sheet = workbook.active or workbook.worksheets[0]
    iterator = sheet.iter_rows(values_only=True)
    try:
        header = list(next(iterator))
    except StopIteration:
        workbook.close()
        handle.close()
        raise ImportFileError(_("文件是空的。")) from None
    rows_in_sheet = sheet.max_row or _count_xlsx_rows(path, sheet)
    total = rows_in_sheet - 1 if rows_in_sheet else None

    def rows():
        for number, cells in enumerate(iterator, start=2):
            yield number, list(cells)

    def close():
        workbook.close()
        handle.close()

    return RowSource("xlsx", "", header, rows(), total, close)


def open_rows(path) -> RowSource:
    path = Path(path)
    try:
        with open(path, "rb") as f:
            magic = f.read(8)
    except OSError as exc:
        raise ImportFileError(
            _("文件无法读取：%(error)s") % {"error": exc.strerror or exc}
        ) from None
    if magic.startswith(b"PK\x03\x04"):
        return _xlsx_rows(path)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(_("不支持旧版 .xls 格式：请在 Excel 中另存为 .xlsx 或 CSV。"))
    if not magic:
        raise ImportFileError(_("文件是空的。"))
    return _csv_rows(path)


# ---------------------------------------------------------------- one row


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
    text = str(value if value is not None else "")
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS] + "…"


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    return str(value).strip()


def _college_lookup() -> dict[str, tuple[int, str]]:
    lookup = {}
    for pk, code, name, name_en in College.objects.values_list("id", "code", "name", "name_en"):
        for alias in (code, name, name_en, re.sub(r"[（(].*?[）)]", "", name)):
            if alias:
                lookup[unicodedata.normalize("NFKC", alias).strip().lower()] = (pk, code)
    return lookup


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
            moment = datetime(*parts)
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
        self.colleges = _college_lookup()
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

        values = {}
        for column, value in raw.items():
            if column == "created_at" and isinstance(value, datetime | date):
                values[column] = value
                continue
            text = _cell_text(value)
            limit = TEXT_MAX_LENGTH if column == "text" else CELL_MAX_CHARS
            if len(text) > limit:
                bad(
                    column,
                    _("内容过长：%(n)d 字，上限 %(max)d 字") % {"n": len(text), "max": limit},
                    text,
                )
                text = ""
                values[column] = None  # already reported
                continue
            values[column] = text

        text = values.get("text")
        if text == "":
            bad("text", _("考生原话为空"))
        text = re.sub(r"\s+", " ", text or "").strip()

        channel_raw = values.get("channel") or ""
        channel = ""
        if channel_raw:
            channel = _CHANNEL_LOOKUP.get(
                unicodedata.normalize("NFKC", channel_raw).strip().lower(), ""
            )
            if not channel:
                bad(
                    "channel",
                    _("未知渠道（可用：QQ、微信/企业微信、邮件、电话、现场、学院转来）"),
                    channel_raw,
                )
        elif values.get("channel") is not None or "channel" not in self.mapping:
            channel = self.default_channel
            if not channel:
                bad("channel", _("渠道为空，且未指定默认渠道"))

        # A leading apostrophe is how spreadsheets keep long digit strings as text.
        candidate_number = re.sub(r"\s", "", values.get("candidate_number") or "").lstrip("'")
        if candidate_number and not re.fullmatch(r"\d{15}", candidate_number):
            bad("candidate_number", _("考生号应为15位数字"), candidate_number)

        college_id, college_code = None, ""
        college_raw = values.get("college") or ""
        if college_raw:
            found = self.colleges.get(unicodedata.normalize("NFKC", college_raw).strip().lower())
            if found:
                college_id, college_code = found
            else:
                bad("college", _("未知学院"), college_raw)

        phone = email = wechat = ""
        for part in re.split(r"[,;/，；、\s]+", values.get("contact") or ""):
            if not part:
                continue
            if "@" in part:
                try:
                    validate_email(part)
                except ValidationError:
                    bad("contact", _("邮箱格式不正确"), part)
                email = email or part
            elif set(part) <= set("0123456789+-()"):
                if not _looks_like_phone(part):
                    bad("contact", _("手机号格式不正确"), part)
                phone = phone or part
            elif len(part) <= 64:
                wechat = wechat or part
            else:
                bad("contact", _("联系方式无法识别"), part)

        created_at = None
        created_raw = values.get("created_at")
        if created_raw not in (None, ""):
            try:
                created_at = parse_created_at(created_raw, self.tz)
            except (ValueError, TypeError, OverflowError):
                bad("created_at", _("无法识别的时间（例：2026-03-20 14:05）"), created_raw)
            else:
                if created_at > self.latest:
                    bad("created_at", _("时间晚于当前时间"), created_raw)
                elif created_at < self.earliest:
                    bad("created_at", _("时间早于 2000 年"), created_raw)

        name = values.get("candidate_name") or ""
        if len(name) > 100:
            bad("candidate_name", _("姓名过长"), name)

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


# ---------------------------------------------------------------- the job


@dataclass
class Summary:
    rows: int = 0
    created: int = 0
    duplicates: int = 0
    errors: int = 0
    blank: int = 0
    problems: list[RowProblem] = field(
        default_factory=list
    )  # dry run only (a real run stores them)
    failure: str = ""


def _ticket_values(row: ParsedRow, suggestion, user_id, now) -> dict:
    # The same mapping as tickets.services.ticket_create, without its per-row
    # full_clean queries: the row was validated by RowParser already.
    return {
        "text": row.text,
        "channel": row.channel,
        "candidate_number": row.candidate_number,
        "candidate_name": row.candidate_name,
        "college_id": row.college_id,
        "contact_phone": row.contact_phone,
        "contact_email": row.contact_email,
        "contact_wechat": row.contact_wechat,
        "category": suggestion.category,
        "route": suggestion.route,
        "also": list(suggestion.also),
        "reply_text": suggestion.reply,
        "suggested_category": suggestion.category,
        "suggested_route": suggestion.route,
        "suggested_confidence": float(suggestion.confidence),
        "suggested_evidence": [str(e) for e in suggestion.evidence],
        "status": Status.NEW.value,
        "created_by_id": user_id,
        "created_at": row.created_at or now,
        "updated_at": now,
        "source_key": row.key,
    }


class RawInsert:
    """Multi-row INSERT ... RETURNING for one model, from dicts of attname -> value.

    bulk_create compiles each value through several layers per field; at
    100,000 rows that was a third of the import's CPU time. Values are
    prepared here once per field kind: date-times and JSON through the
    field itself (so each backend gets its own format), the rest as given.
    """

    def __init__(self, model, returning=()):
        from django.db import connection

        self.connection = connection
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        columns = ", ".join(quote(f.column) for f in self.fields)
        self.head = f"INSERT INTO {table} ({columns}) VALUES "
        self.tail = (" RETURNING " + ", ".join(quote(c) for c in returning)) if returning else ""
        self.row_sql = "(" + ", ".join(["%s"] * len(self.fields)) + ")"
        # SQLite allows 32,766 variables a statement; stay well under it.
        self.rows_per_statement = max(1, min(500, 20_000 // len(self.fields)))
        # For a column the row does not give: the field's default, else NULL / "".
        self.missing = {
            f.attname: f.get_default if f.has_default() else (lambda v=None if f.null else "": v)
            for f in self.fields
        }
        self.prepare = [
            (lambda v, f=f: f.get_db_prep_save(v, connection))
            if f.get_internal_type() in ("DateTimeField", "JSONField")
            else _plain
            for f in self.fields
        ]

    PG_TYPES = {
        "CharField": "text",
        "TextField": "text",
        "EmailField": "text",
        "SlugField": "text",
        "ForeignKey": "bigint",
        "BigIntegerField": "bigint",
        "IntegerField": "bigint",
        "PositiveIntegerField": "bigint",
        "FloatField": "float8",
        "BooleanField": "boolean",
        "DateTimeField": "timestamptz",
        "JSONField": "jsonb",
    }

    def _postgres(self, rows: list[dict]) -> list[tuple]:
        """One statement with one array per column: psycopg's client-side
        binding re-parses a query per call, and a 500-row VALUES list is long."""
        import json

        columns = [[] for _f in self.fields]
        casts = []
        for f in self.fields:
            kind = f.get_internal_type()
            casts.append(self.PG_TYPES[kind])
        for values in rows:
            for column, f in zip(columns, self.fields, strict=True):
                name = f.attname
                value = values[name] if name in values else self.missing[name]()
                if f.get_internal_type() == "JSONField":
                    value = None if value is None else json.dumps(value, cls=f.encoder)
                column.append(_plain(value))
        names = [f"c{i}" for i in range(len(self.fields))]
        select = ", ".join(
            f"{n}::jsonb" if cast == "jsonb" else n for n, cast in zip(names, casts, strict=True)
        )
        arrays = ", ".join("%s::text[]" if cast == "jsonb" else f"%s::{cast}[]" for cast in casts)
        sql = (
            self.head.replace(" VALUES ", " ")
            + f"SELECT {select} FROM unnest({arrays}) AS u({', '.join(names)})"
            + self.tail
        )
        with self.connection.cursor() as cursor:
            cursor.execute(sql, columns)
            return cursor.fetchall() if self.tail else []

    def __call__(self, rows: list[dict]) -> list[tuple]:
        if not rows:
            return []
        if self.connection.vendor == "postgresql":
            return self._postgres(rows)
        returned = []
        with self.connection.cursor() as cursor:
            for start in range(0, len(rows), self.rows_per_statement):
                chunk = rows[start : start + self.rows_per_statement]
                params = []
                for values in chunk:
                    for f, prepare in zip(self.fields, self.prepare, strict=True):
                        name = f.attname
                        params.append(
                            prepare(values[name] if name in values else self.missing[name]())
                        )
                sql = self.head + ", ".join([self.row_sql] * len(chunk)) + self.tail
                cursor.execute(sql, params)
                if self.tail:
                    returned.extend(cursor.fetchall())
        return returned


def _plain(value):
    # TextChoices members are str subclasses; some drivers adapt enums by name.
    if isinstance(value, str) and type(value) is not str:
        return str(value.value) if hasattr(value, "value") else str(value)
    return value


class _Ready:
    """The inline stand-in for an AsyncResult."""

    def __init__(self, value):
        self.value = value

    def get(self):
        return self.value


_worker_knowledge = None


def _worker_init(knowledge):
    global _worker_knowledge
    _worker_knowledge = knowledge


def _worker_triage(texts):
    # Pinned to the parent's knowledge: the worker never touches the database
    # connection it inherited through fork.
    from guide.categories import ABSTAIN_CATEGORY
    from guide.triage.engine import Suggestion, suggest_with

    out = []
    for text in texts:
        try:
            out.append(suggest_with(text, _worker_knowledge))
        except Exception:  # as suggest() does: a person takes over
            out.append(Suggestion(category=ABSTAIN_CATEGORY, route="manual", confidence=0.0))
    return out


def _start_triage_worker():
    """A forked process that triages batch N while this one writes batch N-1.

    Triage is about half of an import's CPU time; on two cores the two halves
    overlap. None when fork is unavailable (the import then triages inline).
    """
    import multiprocessing

    from guide.triage import knowledge

    if multiprocessing.current_process().daemon:
        # A Celery prefork child may not have children of its own.
        log.info("import triage runs inline in a daemonic worker process")
        return None
    try:
        context = multiprocessing.get_context("fork")
        return context.Pool(1, initializer=_worker_init, initargs=(knowledge.current(),))
    except (ValueError, OSError, AssertionError):
        log.warning("no triage worker process; triaging inline", exc_info=True)
        return None


class Importer:
    def __init__(
        self, job: ImportJob, *, user=None, dry_run=False, batch_size=BATCH_SIZE, workers=0
    ):
        self.job = job
        self.user = user if user is not None and user.is_authenticated else None
        self.dry_run = dry_run
        self.batch_size = batch_size
        self.workers = workers
        self.summary = Summary()
        self._dry_seen: set[bytes] = set()
        self._pool = None
        self._pending = None

    def run(self, path) -> Summary:
        source = open_rows(path)
        try:
            mapping, ignored = map_header(source.header)
            parser = RowParser(mapping, self.job.default_channel)
            if not self.dry_run:
                ImportJob.objects.filter(pk=self.job.pk).update(
                    file_format=source.file_format,
                    encoding=source.encoding,
                    rows_total=source.rows_total,
                    ignored_columns=ignored,
                )
            if self.workers:
                self._pool = _start_triage_worker()
            skip = self.job.rows_done if not self.dry_run else 0
            batch_rows: list[ParsedRow] = []
            batch_problems: list[RowProblem] = []
            batch_blank = 0
            batch_read = 0
            broken = None
            try:
                for index, (number, cells) in enumerate(source.rows, start=1):
                    if index <= skip:
                        continue
                    batch_read += 1
                    if all(_cell_text(c) == "" for c in cells):
                        batch_blank += 1
                    else:
                        parsed = parser.parse(number, parser.cells(cells))
                        if isinstance(parsed, list):
                            batch_problems.extend(parsed)
                        else:
                            batch_rows.append(parsed)
                    if batch_read >= self.batch_size:
                        self._submit(batch_rows, batch_problems, batch_read, batch_blank)
                        batch_rows, batch_problems, batch_blank, batch_read = [], [], 0, 0
            except ImportFileError as exc:
                # The file breaks off here: keep every row read before it.
                broken = exc
            if batch_read:
                self._submit(batch_rows, batch_problems, batch_read, batch_blank)
            if self._pending:
                self._finish(*self._pending)
                self._pending = None
            if broken is not None:
                raise broken
        finally:
            source.close()
            if self._pool is not None:
                self._pool.terminate()
                self._pool = None
        return self.summary

    def _submit(self, rows, problems, read, blank):
        """Start triaging this batch, then write the previous one."""
        # Rows already in the database (a re-import, a resume) skip the triage;
        # _write checks again inside its transaction.
        known = set(
            Ticket.objects.filter(source_key__in=[r.key for r in rows]).values_list(
                "source_key", flat=True
            )
        )
        texts = [row.text for row in rows if row.key not in known]
        if self._pool is not None:
            result = self._pool.apply_async(_worker_triage, (texts,))
        else:
            result = _Ready([suggest(text) for text in texts])
        if self._pending:
            self._finish(*self._pending)
        self._pending = (rows, problems, read, blank, known, result)

    def _finish(self, rows, problems, read, blank, known, result):
        # Under DEBUG, Django keeps every SQL string; 1,000-row INSERTs add up.
        reset_queries()
        now = timezone.now()
        error_rows = len({p.number for p in problems})
        suggestions = iter(result.get())
        triaged = [(row, None if row.key in known else next(suggestions)) for row in rows]
        if self.dry_run:
            created = 0
            for row in rows:
                digest = bytes.fromhex(row.key)[:16]
                if row.key in known or digest in self._dry_seen:
                    continue
                self._dry_seen.add(digest)
                created += 1
            self.summary.problems.extend(problems)
        else:
            for attempt in range(3):
                try:
                    created = self._write(triaged, problems, read, blank, error_rows, now)
                    break
                except IntegrityError:
                    # Another import wrote one of these keys between our check
                    # and our insert: check again.
                    if attempt == 2:
                        raise
        self.summary.rows += read
        self.summary.created += created
        self.summary.duplicates += len(rows) - created
        self.summary.errors += error_rows
        self.summary.blank += blank

    def _write(self, triaged, problems, read, blank, error_rows, now) -> int:
        with transaction.atomic():
            keys = [row.key for row, _s in triaged]
            existing = set(
                Ticket.objects.filter(source_key__in=keys).values_list("source_key", flat=True)
            )
            fresh = []
            for row, suggestion in triaged:
                if row.key in existing or suggestion is None:
                    continue
                existing.add(row.key)  # a repeat inside the batch is a duplicate too
                fresh.append((row, suggestion))
            user_id = self.user.pk if self.user else None
            inserted = RawInsert(Ticket, returning=("id", "source_key"))(
                [_ticket_values(row, suggestion, user_id, now) for row, suggestion in fresh]
            )
            ids = dict((key, pk) for pk, key in inserted)
            RawInsert(TicketEvent)(
                [
                    {
                        "ticket_id": ids[row.key],
                        "actor_id": user_id,
                        "kind": EventKind.CREATED.value,
                        "note": "",
                        "created_at": now,
                        "data": {
                            "channel": row.channel,
                            "suggestion": {
                                "category": suggestion.category,
                                "route": suggestion.route,
                                "confidence": float(suggestion.confidence),
                            },
                            "import_job": self.job.pk,
                            "row": row.number,
                        },
                    }
                    for row, suggestion in fresh
                ]
            )
            ImportRowError.objects.bulk_create(
                [
                    ImportRowError(
                        job=self.job,
                        row_number=p.number,
                        column=p.column,
                        reason=p.reason[:300],
                        value=p.value[:200],
                    )
                    for p in problems
                ]
            )
            ImportJob.objects.filter(pk=self.job.pk).update(
                rows_done=F("rows_done") + read,
                created_count=F("created_count") + len(fresh),
                duplicate_count=F("duplicate_count") + len(triaged) - len(fresh),
                error_count=F("error_count") + error_rows,
                blank_count=F("blank_count") + blank,
                updated_at=now,
            )
        return len(fresh)


def job_path(job: ImportJob) -> str:
    return job.file.path if job.file else job.path


def run_job(
    job_id: int, *, batch_size: int = BATCH_SIZE, workers: int = 0, force: bool = False
) -> ImportJob:
    """Import (or resume) one job. Whole-file problems end it as failed with the reason.

    A job another worker is running (a redelivered task) is left alone unless
    it has committed nothing for STALL_AFTER; `force` (the command's --resume)
    takes it over regardless.
    """
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status == JobStatus.DONE:
        return job
    now = timezone.now()
    claim = ImportJob.objects.filter(pk=job.pk)
    if not force:
        claim = claim.filter(
            Q(status__in=[JobStatus.PENDING, JobStatus.FAILED])
            | Q(updated_at__lt=now - STALL_AFTER)
        )
    claimed = claim.update(
        status=JobStatus.RUNNING, started_at=job.started_at or now, failure="", updated_at=now
    )
    if not claimed:
        log.info("import job %s is running in another worker; not started twice", job.pk)
        return job
    job.refresh_from_db()
    importer = Importer(job, user=job.created_by, batch_size=batch_size, workers=workers)
    try:
        importer.run(job_path(job))
    except ImportFileError as exc:
        ImportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, failure=str(exc), finished_at=timezone.now()
        )
    except Exception as exc:
        log.exception("import job %s crashed", job.pk)
        ImportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED,
            finished_at=timezone.now(),
            failure=_("导入中断（%(error)s）。已提交的行已保存，可继续导入。")
            % {"error": type(exc).__name__},
        )
        raise
    else:
        ImportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.DONE, finished_at=timezone.now()
        )
    job.refresh_from_db()
    return job


def dry_run(path, *, default_channel: str = "", batch_size: int = BATCH_SIZE) -> Summary:
    """Read, validate and triage every row; write nothing."""
    job = ImportJob(original_name=Path(path).name, default_channel=default_channel)
    return Importer(job, dry_run=True, batch_size=batch_size).run(path)


def job_create(*, actor, upload, default_channel: str = "") -> ImportJob:
    """Store the uploaded file and queue its import."""
    from imports import tasks

    with transaction.atomic():
        job = ImportJob(
            original_name=upload.name[:255],
            default_channel=default_channel,
            created_by=actor if actor.is_authenticated else None,
        )
        job.file.save(Path(upload.name).name, upload, save=False)
        job.save()
        tasks.enqueue(job.pk)
    return job


def job_resume(*, actor, job: ImportJob) -> ImportJob:
    """Queue an interrupted job again; done rows are skipped."""
    from imports import tasks

    if job.status == JobStatus.DONE:
        return job
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.PENDING, failure="")
    tasks.enqueue(job.pk)
    job.refresh_from_db()
    return job
