import smtplib

import pytest
from django.core import mail

from reports import tasks
from reports.models import WeeklyReport
from reports.periods import last_week
from tickets.models import College

pytestmark = pytest.mark.django_db


def test_weekly_task_twice_for_one_week_leaves_one_report_each_and_one_mail(settings, week47):
    settings.REPORT_RECIPIENTS = ["lead@uestc.edu.cn"]
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


def test_mail_server_failure_is_retried_then_sent(settings, week47, monkeypatch):
    settings.REPORT_RECIPIENTS = ["lead@uestc.edu.cn"]
    from django.core.mail import EmailMultiAlternatives

    real_send = EmailMultiAlternatives.send
    calls = []

    def flaky(self, fail_silently=False):
        calls.append(1)
        if len(calls) == 1:
            raise smtplib.SMTPServerDisconnected("mail server restarting")
        return real_send(self, fail_silently)

    monkeypatch.setattr(EmailMultiAlternatives, "send", flaky)
    # Eagerly (as here) Celery runs the retry at once; a worker waits backoff_seconds().
    result = tasks.build_last_week_reports.apply(kwargs={"week": "2026-W47"})
    assert result.successful(), result.traceback
    assert len(calls) == 2 and len(mail.outbox) == 1
    assert WeeklyReport.objects.filter(college=None).count() == 1


def test_gives_up_after_max_retries(settings, week47, monkeypatch):
    settings.REPORT_RECIPIENTS = ["lead@uestc.edu.cn"]

    def down(self, fail_silently=False):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", down)
    result = tasks.build_last_week_reports.apply(kwargs={"week": "2026-W47"})
    assert result.failed()
    assert WeeklyReport.objects.get(college=None).sent_at is None  # the next run still mails it


def test_backoff_grows_to_an_hour():
    assert [tasks.backoff_seconds(n) for n in (0, 1, 2, 6, 7, 20)] == [
        60,
        120,
        240,
        3600,
        3600,
        3600,
    ]


def test_beat_schedules_the_task_monday_0800_beijing(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["weekly-report"]
    assert entry["task"] == tasks.build_last_week_reports.name
    schedule = entry["schedule"]
    assert schedule.hour == {8} and schedule.minute == {0} and schedule.day_of_week == {1}
    assert settings.CELERY_TIMEZONE == "Asia/Shanghai"


def test_catch_up_run_builds_a_missing_week_then_does_nothing(settings, week47):
    settings.REPORT_RECIPIENTS = ["lead@uestc.edu.cn"]
    first = tasks.build_last_week_reports.apply(kwargs={"week": "2026-W47", "only_missing": True})
    assert first.get()["reports"] == 1 + College.objects.count()
    again = tasks.build_last_week_reports.apply(kwargs={"week": "2026-W47", "only_missing": True})
    assert again.get()["skipped"] is True
    assert len(mail.outbox) == 1


def test_catch_up_is_scheduled_on_monday_after_the_main_run(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["weekly-report-catch-up"]
    assert entry["task"] == tasks.build_last_week_reports.name
    assert entry["kwargs"] == {"only_missing": True}
    assert min(entry["schedule"].hour) > 8 and entry["schedule"].day_of_week == {1}


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
