"""How the outbox delivers answers to the channels (see outbox/__init__.py)."""

from inbox import replies
from outbox.registry import handler


@handler(replies.MAIL_REPLY)
def mail_reply(payload: dict) -> None:
    replies.send_mail_reply(payload)


@handler(replies.WECOM_REPLY)
def wecom_reply(payload: dict) -> None:
    replies.send_wecom_reply(payload)
