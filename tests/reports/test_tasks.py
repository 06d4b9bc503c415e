import pytest
from django.conf import settings
from django.core import mail

from reports import tasks
from reports.models import WeeklyReport
from reports.periods import last_week
from tests.reports.conftest import SH, at
from tickets.models import College

pytestmark = pytest.mark.django_db


def test_weekly_task_twice_for_one_week_leaves_one_report_each_and_one_mail(
    settings, week47, django_capture_on_commit_callbacks
):
    settings.REPORT_RECIPIENTS = ["lead@uestc.edu.cn"]
    with django_capture_on_commit_callbacks(execute=True):
        first = tasks.build_last_week_reports.apply(kwargs={"week": "2026-W47"}).get()
        second = tasks.build_last_week_reports.apply(kwargs={"week": "2026-W47"}).get()
    assert first == {"week": "2026-W47", "reports": 1 + College.objects.count(), "recipients": 1}
    assert second["recipients"] == 0
    assert WeeklyReport.objects.count() == 1 + College.objects.count()
    assert len(mail.outbox) == 1


def test_without_a_week_it_builds_last_week(db):
    result = tasks.build_last_week_reports.apply().get()
    assert result["week"] == last_week().iso_week
    assert WeeklyReport.objects.filter(iso_week=last_week().iso_week, college=None).exists()


def test_a_mail_server_outage_does_not_fail_the_task(settings, week47, monkeypatch):
    # The mail is an outbox row (the relay retries it); the task itself is done.
    from outbox.models import OutboxMessage

    settings.REPORT_RECIPIENTS = ["lead@uestc.edu.cn"]

    def down(self, fail_silently=False):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", down)
    result = tasks.build_last_week_reports.apply(kwargs={"week": "2026-W47"})
    assert result.successful(), result.traceback
    assert result.get()["recipients"] == 1
    assert OutboxMessage.objects.filter(kind="mail", delivered_at__isnull=True).count() == 1
    assert WeeklyReport.objects.filter(college=None).count() == 1


def test_backoff_grows_to_an_hour():
    assert [tasks.backoff_seconds(n) for n in (0, 1, 2, 6, 7, 20)] == [
        60,
        120,
        240,
        3600,
        3600,
        3600,
    ]


def test_catch_up_run_builds_a_missing_week_then_does_nothing(
    settings, week47, django_capture_on_commit_callbacks
):
    settings.REPORT_RECIPIENTS = ["lead@uestc.edu.cn"]
    with django_capture_on_commit_callbacks(execute=True):
        first = tasks.build_last_week_reports.apply(
            kwargs={"week": "2026-W47", "only_missing": True}
        )
    assert first.get()["reports"] == 1 + College.objects.count()
    again = tasks.build_last_week_reports.apply(kwargs={"week": "2026-W47", "only_missing": True})
    assert again.get()["skipped"] is True
    assert len(mail.outbox) == 1


def beat_runs(entry_name, start, end):
    """The times Celery beat runs a schedule entry between start and end, in Beijing time."""
    import supportdesk.celery  # noqa: F401 -- the project's app, with its timezone

    entry = settings.CELERY_BEAT_SCHEDULE[entry_name]
    assert entry["task"] == tasks.build_last_week_reports.name  # a task the worker has
    schedule, runs, last = entry["schedule"], [], start
    while True:
        last, delta, _now = schedule.remaining_delta(last, tz=schedule.tz)
        last = last + delta
        if last >= end:
            return entry, runs
        runs.append(last.astimezone(SH).strftime("%a %d %H:%M"))


def test_the_weekly_report_is_built_on_monday_at_0800_beijing_time():
    _entry, runs = beat_runs("weekly-report", at(2026, 11, 15, 12), at(2026, 11, 29, 12))
    assert runs == ["Mon 16 08:00", "Mon 23 08:00"]


def test_a_missed_monday_run_is_caught_up_hourly_that_day_only_if_missing():
    entry, runs = beat_runs("weekly-report-catch-up", at(2026, 11, 15, 12), at(2026, 11, 22, 12))
    assert runs == [f"Mon 16 {hour:02}:30" for hour in range(9, 21)]
    assert entry["kwargs"] == {"only_missing": True}


def test_broker_or_redis_failure_is_retried(week47, monkeypatch):
    from kombu.exceptions import OperationalError

    real = tasks.store_all_weekly_reports
    calls = []

    def flaky(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        return real(**kwargs)

    monkeypatch.setattr(tasks, "store_all_weekly_reports", flaky)
    result = tasks.build_last_week_reports.apply(kwargs={"week": "2026-W47"})
    assert result.successful() and len(calls) == 2
    assert WeeklyReport.objects.filter(college=None).count() == 1
