"""How the outbox delivers the tickets' side effects (see outbox/__init__.py)."""

from outbox.registry import handler
from tickets import bulk, notifications, tasks


@handler(notifications.EVENT_MAIL)
def event_mail(payload: dict) -> None:
    notifications.send_event_mail(payload["event_id"])


@handler(bulk.START_JOB)
def start_bulk_job(payload: dict) -> None:
    tasks.start_bulk(payload["job_id"])
