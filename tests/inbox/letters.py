"""Mails as candidates' clients write them, for the mail tests."""

from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from django.utils import timezone


def letter(
    body="我的IDAS激活时收不到短信验证码，考生号 105956000001234",
    *,
    subject="IDAS激活问题",
    sender="张三 <zhangsan@example.com>",
    to="desk@desk.test",
    message_id=None,
    in_reply_to=None,
    html=None,
    headers=None,
    attachments=(),
) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(timezone.now())
    msg["Message-ID"] = message_id or make_msgid(domain="example.com")
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
        msg["References"] = in_reply_to
    for name, value in (headers or {}).items():
        msg[name] = value
    if body is not None:
        msg.set_content(body)
    if html is not None:
        if body is None:
            msg.set_content(html, subtype="html")
        else:
            msg.add_alternative(html, subtype="html")
    for filename, content_type, payload in attachments:
        maintype, subtype = content_type.split("/")
        msg.add_attachment(payload, maintype=maintype, subtype=subtype, filename=filename)
    return msg.as_bytes()


def messages_on(ticket) -> list[str]:
    """The candidate's later messages on a ticket's timeline, oldest first."""
    return [e.note for e in ticket.events.order_by("id") if e.data.get("message")]
