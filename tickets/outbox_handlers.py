"""How the outbox delivers the tickets' side effects (see outbox/__init__.py)."""

from outbox.registry import handler
from tickets import services


@handler(services.EVENT_MAIL)
def event_mail(payload: dict) -> None:
    services.send_event_mail(event_id=payload["event_id"])
