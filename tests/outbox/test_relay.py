"""The outbox: a side effect written with the change, delivered once, retried with backoff."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from outbox import relay
from outbox.models import OutboxMessage
from outbox.registry import UnknownKind
from outbox.services import backlog, enqueue, enqueue_mail

pytestmark = pytest.mark.django_db


def _due_now():
    OutboxMessage.objects.update(available_at=timezone.now() - timedelta(seconds=1))


def test_a_side_effect_is_delivered_once_its_transaction_commits(
    flaky_kind, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            enqueue("test.flaky", {"n": 1})
            assert flaky_kind["delivered"] == []
    assert flaky_kind["delivered"] == [{"n": 1}]
    assert OutboxMessage.objects.get().delivered_at is not None


def test_a_rolled_back_change_leaves_nothing_to_deliver(
    flaky_kind, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            enqueue("test.flaky", {"n": 1})
            raise RuntimeError("the write failed")
    assert OutboxMessage.objects.count() == 0 and flaky_kind["delivered"] == []


def test_an_outage_delays_delivery_and_the_relay_delivers_after_it(
    flaky_kind, django_capture_on_commit_callbacks
):
    flaky_kind["down"] = True
    with django_capture_on_commit_callbacks(execute=True):
        enqueue("test.flaky", {"n": 1})
    row = OutboxMessage.objects.get()
    assert row.delivered_at is None and row.attempts == 1
    assert "receiver is down" in row.last_error
    assert row.available_at > timezone.now()  # not retried in a tight loop

    call_command("relay", verbosity=0)  # not due yet
    assert flaky_kind["delivered"] == []

    flaky_kind["down"] = False
    _due_now()
    call_command("relay", verbosity=0)
    call_command("relay", verbosity=0)
    assert flaky_kind["delivered"] == [{"n": 1}]
    row.refresh_from_db()
    assert row.delivered_at is not None and row.last_error == ""


def test_each_failed_try_waits_twice_as_long_up_to_the_cap(settings):
    settings.OUTBOX_RETRY_SECONDS, settings.OUTBOX_RETRY_MAX_SECONDS = 30, 3600
    waits = [relay.backoff(n).total_seconds() for n in range(1, 10)]
    assert waits == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_a_repeated_dedupe_key_delivers_once(flaky_kind, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            first = enqueue("test.flaky", {"n": 1}, dedupe_key="event:7")
            again = enqueue("test.flaky", {"n": 1}, dedupe_key="event:7")
    assert first.pk == again.pk
    assert flaky_kind["delivered"] == [{"n": 1}]


def test_a_delivered_row_is_never_delivered_again(flaky_kind):
    enqueue("test.flaky", {"n": 1})
    assert relay.relay().delivered == 1
    _due_now()
    assert relay.relay().delivered == 0
    assert relay.deliver(list(OutboxMessage.objects.values_list("pk", flat=True))).delivered == 0
    assert flaky_kind["delivered"] == [{"n": 1}]


def test_a_row_leased_by_another_relay_is_left_to_it(flaky_kind):
    row = enqueue("test.flaky", {"n": 1})
    OutboxMessage.objects.filter(pk=row.pk).update(
        locked_until=timezone.now() + timedelta(minutes=5)
    )
    assert relay.relay().delivered == 0
    # A relay that died holding the lease: the row is taken over once it runs out.
    OutboxMessage.objects.filter(pk=row.pk).update(
        locked_until=timezone.now() - timedelta(seconds=1)
    )
    assert relay.relay().delivered == 1
    assert flaky_kind["delivered"] == [{"n": 1}]


def test_an_unknown_kind_is_refused_when_enqueued():
    with pytest.raises(UnknownKind):
        enqueue("no.such.kind", {})


def test_backlog_reports_the_age_of_the_oldest_undelivered_row(flaky_kind):
    assert backlog().undelivered == 0 and backlog().oldest_age_seconds == 0
    row = enqueue("test.flaky", {"n": 1})
    OutboxMessage.objects.filter(pk=row.pk).update(created_at=timezone.now() - timedelta(minutes=3))
    assert backlog().undelivered == 1
    assert 179 <= backlog().oldest_age_seconds <= 185


def test_mail_survives_a_mail_server_outage(smtp, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_mail(subject="周报", body="本周 3 张工单", to=["a@example.edu.cn"])
    row = OutboxMessage.objects.get()
    assert row.delivered_at is None and "Connection" in row.last_error  # nobody listening yet

    smtp.start()
    _due_now()
    call_command("relay", verbosity=0)
    assert smtp.bodies() == ["本周 3 张工单"]
    assert smtp.messages[0].rcpt_tos == ["a@example.edu.cn"]
