"""How the outbox delivers the imports' side effects (see outbox/__init__.py)."""

from imports import tasks
from imports.jobs import START_JOB
from outbox.registry import handler


@handler(START_JOB)
def start_job(payload: dict) -> None:
    tasks.start(payload["job_id"])
