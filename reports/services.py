"""The reports app's figures: store a week's report, send it by email, load a
period's figures for a page or a download.

The writes are idempotent, so the weekly task may run (or be retried) any
number of times for a week: one row per week and scope, and a report already
mailed is not mailed again.
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from reports.build import SCHEMA, build_report
from reports.models import WeeklyReport
from reports.periods import Period
from reports.shared_cache import remembered
from tickets.models import College


def store_weekly_report(
    *, period: Period, college: College | None = None, now=None
) -> WeeklyReport:
    """Build the figures of one ISO week and keep them as its WeeklyReport row."""
    if not period.is_iso_week:
        raise ValueError(
            f"stored reports cover an ISO week, not {period.first_day}..{period.last_day}"
        )
    now = now or timezone.now()
    data = build_report(period, college=college, now=now)
    values = {"iso_week": period.iso_week, "data": data, "generated_at": now}
    for attempt in range(2):
        try:
            with transaction.atomic():
                report, _ = WeeklyReport.objects.select_for_update().update_or_create(
                    week_start=period.first_day, college=college, defaults=values
                )
            return report
        except IntegrityError:
            # Another worker created the row between our read and write: update theirs.
            if attempt:
                raise
    raise AssertionError("unreachable")


def store_all_weekly_reports(*, period: Period, now=None) -> list[WeeklyReport]:
    """The whole-university report and one per college."""
    reports = [store_weekly_report(period=period, now=now)]
    for college in College.objects.order_by("code"):
        reports.append(store_weekly_report(period=period, college=college, now=now))
    return reports


def send_weekly_report(*, report: WeeklyReport, force: bool = False) -> int:
    """Mail the report to its recipients; returns how many got it.

    A report already sent is skipped unless `force`, so a retried task does not
    mail twice. The mail is an outbox row written with `sent_at` in one
    transaction (outbox/__init__.py): delivered after the commit, retried with
    backoff by the relay while the mail server is away, never lost or doubled.
    `sent_at` is when it was handed to the outbox.
    """
    from outbox.services import enqueue_mail
    from reports.emails import recipients_for, report_message

    with transaction.atomic():
        report = WeeklyReport.objects.select_for_update().get(pk=report.pk)
        if report.sent_at and not force:
            return 0
        to = recipients_for(report.college)
        if not to:
            return 0
        message = report_message(report, to)
        html = next((str(c) for c, kind in message.alternatives if kind == "text/html"), None)
        report.sent_at = timezone.now()
        enqueue_mail(
            subject=str(message.subject),
            body=str(message.body),
            to=list(message.to),
            from_email=message.from_email,
            html=html,
            # One mail per report and sending (a forced resend is another sending).
            dedupe_key=f"weekly-report:{report.pk}:{report.sent_at.isoformat()}",
        )
        report.save(update_fields=["sent_at"])
    return len(to)


def report_figures(period: Period, college: College | None) -> tuple[dict, WeeklyReport | None]:
    """A period's figures and the stored row they come from (None when live).

    An ISO week that was stored shows its row. Any other period is computed
    live, at most once per REPORT_LIVE_SECONDS for everyone (the shared cache):
    at a million tickets a live build is ~30 queries over a week of tickets,
    and the lead, the desk and every teacher open the same few reports. The
    figures carry their own generated_at, which the page shows.
    """
    if period.is_iso_week:
        stored = WeeklyReport.objects.filter(week_start=period.first_day, college=college).first()
        if stored is not None:
            return stored.data, stored
    key = (
        f"report-live:{SCHEMA}:{period.start.isoformat()}:{period.end.isoformat()}:"
        f"{college.pk if college else 'all'}"
    )
    data = remembered(
        key, settings.REPORT_LIVE_SECONDS, lambda: build_report(period, college=college)
    )
    return data, None
