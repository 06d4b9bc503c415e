"""What a ticket's own fields must look like, and the values a new ticket takes
from the triage engine's suggestion.

Pure functions, no database: `tickets.actions.check_create_ticket` (one ticket, then
`full_clean` for what does need the database) and the bulk importer (100,000
rows, no per-row query) both use them, so a rule or a snapshot field changes in
one place. Each check returns the message for the user, or "" when the value is
fine; an empty optional value is fine.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils.translation import gettext as _

from guide import answers
from guide.models import Route
from reports import phrases
from supportdesk.privacy import mask_id_numbers
from tickets.models import Channel, Ticket, candidate_number_validator

TEXT_MAX_LENGTH = 5000  # a candidate's words, and the reply sent to them
NOTE_MAX_LENGTH = 5000  # a desk note, the escalation note


def _field_max_length(name: str) -> int:
    field = Ticket._meta.get_field(name)
    assert isinstance(field, models.Field) and field.max_length is not None, name
    return field.max_length


_max_length = {
    name: _field_max_length(name)
    for name in ("candidate_name", "contact_phone", "contact_email", "contact_wechat")
}
NAME_MAX_LENGTH = _max_length["candidate_name"]
WECHAT_MAX_LENGTH = _max_length["contact_wechat"]
# The characters a phone number may be written with (digits, +, -, spaces, brackets).
PHONE_CHARS = frozenset("0123456789+- ()")
# Channel.values builds its list anew on each use; the importer asks per row.
_CHANNELS = frozenset(Channel.values)


def looks_like_phone(value: str) -> bool:
    digits = sum(ch.isdigit() for ch in value)
    return 7 <= digits <= 15 and set(value) <= PHONE_CHARS


def contact_kind(value: str) -> str:
    """Which contact one written value is: "email", "phone" or "wechat" (by its shape)."""
    if "@" in value:
        return "email"
    if value and set(value) <= PHONE_CHARS:
        return "phone"
    return "wechat"


def length_error(value: str, limit: int) -> str:
    if len(value) > limit:
        return _("内容过长：%(n)d 字，上限 %(max)d 字") % {"n": len(value), "max": limit}
    return ""


def text_error(text: str) -> str:
    return length_error(text, TEXT_MAX_LENGTH) if text else _("考生原话为空")


def channel_error(channel: str) -> str:
    if channel in _CHANNELS:
        return ""
    return _("未知渠道（可用：QQ、微信/企业微信、邮件、电话、现场、学院转来）")


def candidate_number_error(number: str) -> str:
    if number and not re.search(candidate_number_validator.regex, number):
        return str(candidate_number_validator.message)
    return ""


def candidate_name_error(name: str) -> str:
    return _("姓名过长") if len(name) > NAME_MAX_LENGTH else ""


def phone_error(phone: str) -> str:
    if phone and (len(phone) > _max_length["contact_phone"] or not looks_like_phone(phone)):
        return _("手机号格式不正确")
    return ""


def email_error(email: str) -> str:
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        return _("邮箱格式不正确")
    return "" if len(email) <= _max_length["contact_email"] else _("邮箱格式不正确")


def wechat_error(wechat: str) -> str:
    return _("联系方式无法识别") if len(wechat) > WECHAT_MAX_LENGTH else ""


# A new ticket's own fields that field_errors checks.
OWN_FIELDS = (
    "text",
    "channel",
    "candidate_number",
    "candidate_name",
    "contact_phone",
    "contact_email",
    "contact_wechat",
)


def field_errors(values) -> dict[str, str]:
    """Field name -> message, for each of a new ticket's own fields (`ticket_values`) that
    breaks a rule above. The college, users and the unique source key need the database:
    not checked here."""
    checks = {
        "text": text_error(values.get("text", "")),
        "channel": channel_error(values.get("channel", "")),
        "candidate_number": candidate_number_error(values.get("candidate_number", "")),
        "candidate_name": candidate_name_error(values.get("candidate_name", "")),
        "contact_phone": phone_error(values.get("contact_phone", "")),
        "contact_email": email_error(values.get("contact_email", "")),
        "contact_wechat": wechat_error(values.get("contact_wechat", "")),
    }
    return {name: message for name, message in checks.items() if message}


def ticket_values(
    *,
    text,
    channel,
    candidate_number="",
    candidate_name="",
    contact_phone="",
    contact_email="",
    contact_wechat="",
    suggestion=None,
    category=None,
    route=None,
    reply_text=None,
) -> dict:
    """A new ticket's own field values (attname -> value), surrounding spaces dropped.

    Not validated: `field_errors(values)` says what is wrong with them.
    """
    text = mask_id_numbers((text or "").strip())
    snapshot = suggestion_fields(
        suggestion,
        category=category,
        route=route,
        reply_text=mask_id_numbers(reply_text) if reply_text else reply_text,
    )
    return {
        "text": text,
        "channel": channel,
        "candidate_number": (candidate_number or "").strip(),
        "candidate_name": (candidate_name or "").strip(),
        "contact_phone": (contact_phone or "").strip(),
        "contact_email": (contact_email or "").strip(),
        "contact_wechat": (contact_wechat or "").strip(),
        **snapshot,
        # What the report's "other" phrases count, found once, here.
        "other_phrases": phrases.candidates(text)
        if snapshot["suggested_category"] == "other"
        else None,
    }


def suggestion_fields(suggestion, *, category=None, route=None, reply_text=None) -> dict:
    """The engine's suggestion as a new ticket's snapshot fields.

    The suggested_* fields keep what the engine said; `category`, `route` and
    `reply_text` given by staff win over it for the ticket itself. Without a
    suggestion (no text to triage) a person takes over.
    """
    if suggestion is None:
        suggested_category, suggested_route = "other", Route.MANUAL.value
        also, reply, confidence, evidence = [], "", 0.0, []
    else:
        suggested_category, suggested_route = suggestion.category, suggestion.route
        also, reply = list(suggestion.also), answers.with_info_center(suggestion.reply)
        confidence, evidence = float(suggestion.confidence), [str(e) for e in suggestion.evidence]
    return {
        "category": category or suggested_category,
        "route": route or suggested_route,
        "also": also,
        "reply_text": reply if reply_text is None else reply_text,
        # The reply is the suggested category's guide answer unless given.
        "reply_category": suggested_category if reply_text is None else "",
        "reply_route": suggested_route if reply_text is None else "",
        "suggested_category": suggested_category,
        "suggested_route": suggested_route,
        "suggested_confidence": confidence,
        "suggested_evidence": evidence,
    }
