"""The Monday task (beat: settings.CELERY_BEAT_SCHEDULE, 08:00 Asia/Shanghai).

With REDIS_URL set, beat puts the task on the Redis broker and a worker
(`celery -A supportdesk worker`) runs it. Without REDIS_URL, Celery runs every
`.delay()` eagerly, in the calling process and before `.delay()` returns
(CELERY_TASK_ALWAYS_EAGER): nothing is queued, there is no beat, and a retry
happens at once (no countdown) -- so on a laptop the weekly report comes from
`manage.py weekly_report --send` (or cron), not from the schedule.

The task is idempotent: it rewrites the one row per week and scope, and mails
only reports not mailed yet, so a retry (or a second run) changes nothing.
"""

import logging
import smtplib

from celery import shared_task
from django.conf import settings
from kombu.exceptions import OperationalError as BrokerError

from reports.models import WeeklyReport
from reports.periods import iso_week, last_week
from reports.services import send_weekly_report, store_all_weekly_reports

log = logging.getLogger(__name__)

# The broker/result backend being away is worth waiting for. (The mails are
# outbox rows: a mail server that is away is the relay's to wait for.)
RETRY_ON = (smtplib.SMTPException, ConnectionError, TimeoutError, OSError, BrokerError)
MAX_RETRIES = 8


def backoff_seconds(retries: int) -> int:
    """1, 2, 4, ... minutes, at most an hour."""
    return min(60 * 2**retries, 3600)


def _already_done(period) -> bool:
    report = WeeklyReport.objects.filter(week_start=period.first_day, college=None).first()
    return report is not None and (report.sent_at is not None or not settings.REPORT_RECIPIENTS)


@shared_task(bind=True, max_retries=MAX_RETRIES, acks_late=True)
def build_last_week_reports(self, week: str | None = None, only_missing: bool = False) -> dict:
    """Store last week's reports (university + each college) and mail them.

    `only_missing` is the catch-up run of the beat schedule: when the broker was
    down at 08:00, beat could not queue the Monday run; the hourly catch-up
    builds the week then, and does nothing once it is stored and mailed.
    """
    # Pin the week now: a retry running after next Monday still builds this one.
    period = iso_week(week) if week else last_week()
    if only_missing and _already_done(period):
        return {"week": period.iso_week, "reports": 0, "recipients": 0, "skipped": True}
    try:
        reports = store_all_weekly_reports(period=period)
        sent = sum(send_weekly_report(report=report) for report in reports)
    except RETRY_ON as exc:
        log.warning(
            "weekly report %s: %s; retry %s", period.iso_week, exc, self.request.retries + 1
        )
        raise self.retry(
            exc=exc,
            kwargs={"week": period.iso_week},
            countdown=backoff_seconds(self.request.retries),
        ) from exc
    return {"week": period.iso_week, "reports": len(reports), "recipients": sent}
