"""How the outbox delivers answers to the channels (see outbox/__init__.py).

A failed delivery is noted on the channel's status before the outbox retries it."""

from inbox import replies, state
from inbox.models import Source
from outbox.registry import handler


@handler(replies.MAIL_REPLY)
def mail_reply(payload: dict) -> None:
    _noting_failure(Source.EMAIL, replies.send_mail_reply, payload)


@handler(replies.WECOM_REPLY)
def wecom_reply(payload: dict) -> None:
    _noting_failure(Source.WECOM, replies.send_wecom_reply, payload)


def _noting_failure(source, send, payload):
    try:
        send(payload)
    except Exception as exc:
        state.failed(source, f"{type(exc).__name__}: {exc}")
        raise
