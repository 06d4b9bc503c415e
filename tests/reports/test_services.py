import smtplib

import pytest
from django.core import mail

from reports.models import WeeklyReport
from reports.periods import date_range, iso_week
from reports.services import send_weekly_report, store_all_weekly_reports, store_weekly_report
from tests.base import make_user
from tests.reports.conftest import at
from tickets.models import College
from tickets.roles import COLLEGE_TEACHER

pytestmark = pytest.mark.django_db
W47 = iso_week("2026-W47")


def test_storing_a_week_twice_leaves_one_report_with_the_latest_figures(week47):
    first = store_weekly_report(period=W47, now=at(2026, 11, 23, 8))
    week47["t3"].status = "resolved"
    week47["t3"].resolved_at = at(2026, 11, 22, 23, 55)
    week47["t3"].save()
    second = store_weekly_report(period=W47, now=at(2026, 11, 23, 9))
    assert WeeklyReport.objects.filter(week_start=W47.first_day, college=None).count() == 1
    assert second.pk == first.pk
    assert second.data["totals"]["resolved"] == 3
    assert second.iso_week == "2026-W47"


def test_university_and_college_reports_are_separate_rows(week47):
    store_all_weekly_reports(period=W47)
    store_all_weekly_reports(period=W47)
    assert WeeklyReport.objects.count() == 1 + College.objects.count()
    sice = WeeklyReport.objects.get(college__code="sice")
    assert sice.data["totals"]["new"] == 2


def test_only_iso_weeks_are_stored():
    with pytest.raises(ValueError):
        store_weekly_report(period=date_range("2026-11-16", "2026-11-18"))


def test_sends_once_to_configured_recipients(settings, week47, django_capture_on_commit_callbacks):
    settings.REPORT_RECIPIENTS = ["lead@uestc.edu.cn"]
    report = store_weekly_report(period=W47)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_weekly_report(report=report) == 1
        assert send_weekly_report(report=report) == 0  # already sent: a retry mails nobody twice
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lead@uestc.edu.cn"]
    assert "2026-W47" in message.subject and "全校" in message.subject
    assert "新建工单 | 5" in message.body
    html = message.alternatives[0][0]
    assert "鸿蒙" in html and "其他问题" in html
    report.refresh_from_db()
    assert report.sent_at is not None


def test_college_report_goes_to_that_colleges_teachers(
    week47, teacher_a, college_a, django_capture_on_commit_callbacks
):
    make_user("sam", COLLEGE_TEACHER, college="see")
    report = store_weekly_report(period=W47, college=college_a)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_weekly_report(report=report) == 1
    assert mail.outbox[0].to == [teacher_a.email]
    assert "信息与通信工程学院" in mail.outbox[0].subject


def test_a_mail_server_outage_leaves_the_report_mail_in_the_outbox_until_it_returns(
    settings, week47, monkeypatch, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.core.mail import EmailMultiAlternatives
    from django.utils import timezone

    from outbox.models import OutboxMessage
    from outbox.relay import relay

    settings.REPORT_RECIPIENTS = ["lead@uestc.edu.cn"]
    report = store_weekly_report(period=W47)
    real_send = EmailMultiAlternatives.send

    def refuse(self, fail_silently=False):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_weekly_report(report=report) == 1  # no SMTP error reaches the caller
    (row,) = OutboxMessage.objects.filter(kind="mail")
    assert row.delivered_at is None and "gone" in row.last_error and not mail.outbox

    monkeypatch.setattr(EmailMultiAlternatives, "send", real_send)  # the server is back
    OutboxMessage.objects.update(available_at=timezone.now() - timedelta(seconds=1))
    assert relay().delivered == 1 and relay().delivered == 0
    (message,) = mail.outbox
    assert message.to == ["lead@uestc.edu.cn"] and message.alternatives[0][1] == "text/html"
    assert "周报" in message.subject
