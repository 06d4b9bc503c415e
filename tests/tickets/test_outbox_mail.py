"""Escalation and referral mail goes through the outbox: a broker or mail-server
outage delays it, never loses it, and the ticket page says it is still to be sent."""

import time
from datetime import timedelta

from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from outbox.models import OutboxMessage
from tests.services import celery_broker, free_port
from tickets import actions


def test_escalation_is_mailed_while_the_broker_is_down(
    make_ticket, desk, django_capture_on_commit_callbacks
):
    ticket = make_ticket(candidate_number="106146000000002")
    with celery_broker(f"redis://127.0.0.1:{free_port()}/0"):  # nothing listens there
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            actions.perform("escalate", actor=desk, ticket=ticket, tried="已重发验证码")
        elapsed = time.monotonic() - started
    assert elapsed < 5
    assert len(mail.outbox) == 1 and "106146000000002" in mail.outbox[0].body
    assert OutboxMessage.objects.get().delivered_at is not None


def test_the_ticket_page_says_mail_pending_until_the_mail_server_takes_it(
    client, make_ticket, desk, smtp, django_capture_on_commit_callbacks
):
    ticket = make_ticket()
    client.force_login(desk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("tickets:action", args=[ticket.pk, "escalate"]), {"note": "请重置账号"}
        )
    assert response.status_code == 302
    page = client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()
    assert "邮件待发送" in page and "邮件已发送" not in page
    assert OutboxMessage.objects.get().attempts == 1

    smtp.start()
    OutboxMessage.objects.update(available_at=timezone.now() - timedelta(seconds=1))
    call_command("relay", verbosity=0)
    assert len(smtp.messages) == 1 and "请重置账号" in smtp.bodies()[0]
    page = client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()
    assert "邮件已发送" in page and "邮件待发送" not in page


def test_a_redelivered_event_mail_is_not_sent_twice(
    make_ticket, desk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        actions.perform("escalate", actor=desk, ticket=make_ticket())
    row = OutboxMessage.objects.get()
    # The relay lost its mark (killed after sending): the row is delivered again.
    OutboxMessage.objects.filter(pk=row.pk).update(delivered_at=None)
    call_command("relay", verbosity=0)
    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.get().delivered_at is not None
