from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from tickets import actions
from tickets.models import Status, Ticket


def _age(ticket, days):
    Ticket.objects.filter(pk=ticket.pk).update(updated_at=timezone.now() - timedelta(days=days))


@pytest.fixture
def answered(make_ticket, desk):
    def make(days, number):
        t = make_ticket("企业号激活第三步一直收不到手机验证码", candidate_number=number)
        actions.perform("answer", actor=desk, ticket=t, reply_text="请重发")
        _age(t, days)
        return t

    return make


@pytest.mark.django_db
def test_answered_tickets_idle_for_the_setting_are_resolved_with_the_rule(answered, settings):
    settings.AUTO_CLOSE_DAYS = 7
    old = answered(8, "106146000000001")
    fresh = answered(6, "106146000000002")
    out = StringIO()
    call_command("close_answered", stdout=out)
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.status, fresh.status) == (Status.RESOLVED, Status.ANSWERED)
    event = old.events.latest("id")
    assert event.kind == "resolved" and event.data["rule"] == "auto_close_answered"
    assert "自动解决" in event.note and event.actor is None
    assert "resolved 1" in out.getvalue()


@pytest.mark.django_db
def test_dry_run_and_days_option(answered):
    t = answered(3, "106146000000003")
    out = StringIO()
    call_command("close_answered", "--days", "2", "--dry-run", stdout=out)
    t.refresh_from_db()
    assert t.status == Status.ANSWERED and f"#{t.pk}" in out.getvalue()
    call_command("close_answered", "--days", "2", stdout=StringIO())
    t.refresh_from_db()
    assert t.status == Status.RESOLVED


@pytest.mark.django_db
def test_the_periodic_task_is_scheduled_and_runs(answered, settings):
    from tickets import tasks

    assert any(
        e["task"] == "tickets.tasks.close_answered" for e in settings.CELERY_BEAT_SCHEDULE.values()
    )
    t = answered(10, "106146000000004")
    assert tasks.close_answered.delay().get() == 1
    t.refresh_from_db()
    assert t.status == Status.RESOLVED
