"""How the outbox delivers the tickets' side effects (see outbox/__init__.py)."""

from outbox.registry import handler
from tickets import bulk, services, tasks


@handler(services.EVENT_MAIL)
def event_mail(payload: dict) -> None:
    services.send_event_mail(event_id=payload["event_id"])


@handler(bulk.START_JOB)
def start_bulk_job(payload: dict) -> None:
    tasks.start_bulk(payload["job_id"])
