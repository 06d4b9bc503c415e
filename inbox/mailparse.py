"""A raw mail as the facts intake needs: who, which thread, the new text,
the files, and whether a person wrote it at all.

Never raises on a bad mail: what cannot be read becomes a note.
"""

import codecs
import hashlib
import re
from dataclasses import dataclass, field

import html2text
from django.utils.translation import gettext as _
from imap_tools import MailMessage

from inbox.quotes import cut_quotes

CANDIDATE_NUMBER = re.compile(r"(?<!\d)\d{15}(?!\d)")
TICKET_TAG = re.compile(r"\[#(\d{1,12})\]")
MESSAGE_ID = re.compile(r"<[^<>\s]+>")

# Headers and senders of mail no person wrote (RFC 3834 and common practice).
AUTO_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
AUTO_SENDERS = re.compile(r"^(mailer-daemon|postmaster|no-?reply|auto-?reply)@", re.IGNORECASE)
AUTO_SUBJECTS = re.compile(
    r"^\s*(自动回复|自动答复|Auto(matic)? ?reply|Out of (the )?office|"
    r"Undeliver(ed|able)|Delivery Status Notification|退信|系统退信)",
    re.IGNORECASE,
)


@dataclass
class Attached:
    filename: str
    content_type: str
    payload: bytes


@dataclass
class ParsedMail:
    message_id: str
    sender: str
    sender_name: str
    subject: str
    body: str
    thread_ids: list[str]  # In-Reply-To and References, nearest first
    attachments: list[Attached] = field(default_factory=list)
    automatic: str = ""  # why no person wrote it, or ""
    problems: list[str] = field(default_factory=list)

    @property
    def ticket_tag(self) -> int | None:
        match = TICKET_TAG.search(self.subject)
        return int(match.group(1)) if match else None


def candidate_number(text: str) -> str:
    """The first 15-digit candidate number (考生号) in a text, or ''."""
    match = CANDIDATE_NUMBER.search(text)
    return match.group(0) if match else ""


def parse(message: MailMessage | bytes) -> ParsedMail:
    msg = MailMessage.from_bytes(message) if isinstance(message, bytes) else message
    problems = []
    headers = {k.lower(): " ".join(v) for k, v in msg.headers.items()}
    sender = (msg.from_values.email if msg.from_values else "").strip().lower()
    if not sender:
        problems.append(
            _("发件人地址无法识别：%(value)s") % {"value": headers.get("from", "")[:100]}
        )
    subject = _safe(lambda: msg.subject, "", problems, _("主题无法解码"))[:255]
    body = _body(msg, problems)
    return ParsedMail(
        message_id=_message_id(headers, msg),
        sender=sender,
        sender_name=(msg.from_values.name if msg.from_values else "")[:100],
        subject=subject,
        body=body,
        thread_ids=_thread_ids(headers),
        attachments=_attachments(msg, problems),
        automatic=_automatic(headers, sender, subject, msg),
        problems=problems,
    )


def _safe(read, default, problems, problem):
    try:
        return read()
    except Exception:  # any decoding failure of a bad mail: keep going, say so
        problems.append(problem)
        return default


def _message_id(headers, msg) -> str:
    """The Message-ID, or a digest of the mail for one without any."""
    match = MESSAGE_ID.search(headers.get("message-id", ""))
    if match:
        return match.group(0)[:255]
    try:
        raw = msg.obj.as_bytes()
    except Exception:  # a mail the email package cannot serialise again
        raw = repr(sorted(headers.items())).encode()
    return f"<sha256-{hashlib.sha256(raw).hexdigest()}@no-message-id>"


def _thread_ids(headers) -> list[str]:
    ids = MESSAGE_ID.findall(headers.get("in-reply-to", ""))
    ids += reversed(MESSAGE_ID.findall(headers.get("references", "")))
    return list(dict.fromkeys(ids))


def _body(msg, problems) -> str:
    text = _part_text(msg.obj, "plain", problems)
    if not text.strip():
        html = _part_text(msg.obj, "html", problems)
        if html.strip():
            text = html_to_text(html)
    return cut_quotes(text)


# Chinese mail often says gb2312 and uses characters only GBK/GB18030 have.
CHARSET_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "ascii": "utf-8"}


def _part_text(obj, subtype, problems) -> str:
    """The text/<subtype> parts that are not attachments, decoded; a byte the
    charset cannot read becomes U+FFFD and a note."""
    texts = []
    for part in obj.walk():
        if part.get_content_type() != f"text/{subtype}" or part.get_filename():
            continue
        if "attachment" in str(part.get("Content-Disposition", "")).lower():
            continue
        payload = part.get_payload(decode=True) or b""
        charset = (part.get_content_charset() or "utf-8").lower()
        charset = CHARSET_SUPERSETS.get(charset, charset)
        try:
            codecs.lookup(charset)
        except LookupError:
            problems.append(_("未知字符集 %(charset)s，按 UTF-8 读取") % {"charset": charset})
            charset = "utf-8"
        try:
            texts.append(payload.decode(charset))
        except UnicodeDecodeError:
            problems.append(_("正文有无法解码的字节，已替换为 �"))
            texts.append(payload.decode(charset, errors="replace"))
    return "\n".join(texts)


def html_to_text(html: str) -> str:
    converter = html2text.HTML2Text()
    converter.body_width = 0  # no hard wrapping: the desk reads it in a browser
    converter.ignore_images = True
    converter.ignore_emphasis = True
    converter.ignore_tables = True
    return converter.handle(html).strip()


def _attachments(msg, problems) -> list[Attached]:
    found = []
    try:
        for part in msg.attachments:
            found.append(
                Attached(
                    filename=(part.filename or "attachment")[:255],
                    content_type=(part.content_type or "")[:100],
                    payload=part.payload or b"",
                )
            )
    except Exception:  # a broken MIME part: list what was read before it
        problems.append(_("附件无法读取"))
    return found


def _automatic(headers, sender, subject, msg) -> str:
    auto = headers.get("auto-submitted", "").strip().lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    precedence = headers.get("precedence", "").strip().lower()
    if precedence in AUTO_PRECEDENCE:
        return f"Precedence: {precedence}"
    if "x-autoreply" in headers or "x-autorespond" in headers:
        return "X-Autoreply"
    if "multipart/report" in headers.get("content-type", "").lower():
        return "delivery report"
    if AUTO_SENDERS.match(sender):
        return f"sender {sender}"
    if AUTO_SUBJECTS.match(subject):
        return f"subject {subject[:40]}"
    return ""
