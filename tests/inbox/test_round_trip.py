"""The whole conversation by mail against real servers: the candidate writes
(SMTP into Dovecot), one fetch makes a triaged ticket, the desk answers on the
ticket page, the answer arrives threaded in the candidate's mailbox, and the
candidate's reply lands on the same ticket and reopens it."""

import smtplib

import pytest
from django.urls import reverse

from inbox.fetch import fetch_mail
from tests.inbox.letters import letter, messages_on
from tickets.models import EventKind, Status, Ticket

pytestmark = [pytest.mark.mail, pytest.mark.django_db]


def send(controller, raw, to):
    with smtplib.SMTP(controller.hostname, controller.port, timeout=5) as server:
        server.sendmail("zhangsan@example.com", [to], raw)


def test_mail_round_trip(mail_relay, mailboxes, client, desk, django_capture_on_commit_callbacks):
    question = letter(message_id="<question-1@example.com>")
    send(mail_relay, question, "desk@desk.test")

    fetch_mail()
    ticket = Ticket.objects.get()
    assert ticket.channel == "email" and ticket.category

    client.force_login(desk)
    page = client.get(ticket.get_absolute_url())
    assert "通过邮件发送答复" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("tickets:action", args=[ticket.pk, "answer"]),
            {"reply_text": "请在 IDAS 激活页面重新获取验证码。", "note": ""},
        )
    assert response.status_code == 302

    [answer] = mailboxes.messages("candidate")
    assert answer.subject == f"[#{ticket.pk}] IDAS激活问题"
    assert answer.headers["in-reply-to"] == ("<question-1@example.com>",)
    assert "<question-1@example.com>" in answer.headers["references"][0]
    assert "请在 IDAS 激活页面重新获取验证码。" in answer.text
    assert f"/guide/{ticket.category}/" in answer.text
    answered = ticket.events.get(kind=EventKind.ANSWERED)
    assert answered.data["mailed_at"]
    assert "邮件待发送" not in client.get(ticket.get_absolute_url()).content.decode()

    answer_id = answer.headers["message-id"][0].strip()
    reply = letter(
        body=f"还是收不到。\n\n在 2026年3月1日 10:00，服务台 写道：\n> {answer.text[:20]}",
        subject=f"Re: {answer.subject}",
        in_reply_to=answer_id,
    )
    send(mail_relay, reply, "desk@desk.test")
    fetch_mail()

    ticket.refresh_from_db()
    assert Ticket.objects.count() == 1
    assert ticket.status == Status.NEW
    assert messages_on(ticket) == ["还是收不到。"]


def test_a_mail_server_outage_delays_the_answer_and_never_loses_it(
    mailboxes, settings, client, desk, django_capture_on_commit_callbacks
):
    from outbox import relay
    from outbox.models import OutboxMessage

    mailboxes.deliver(letter())
    fetch_mail()
    ticket = Ticket.objects.get()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    client.force_login(desk)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("tickets:action", args=[ticket.pk, "answer"]),
            {"reply_text": "请重新获取验证码。", "note": ""},
        )
    pending = OutboxMessage.objects.get(kind="inbox.mail_reply")
    assert pending.delivered_at is None and pending.last_error
    assert "答复邮件等待发送" in client.get(ticket.get_absolute_url()).content.decode()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutboxMessage.objects.update(available_at=pending.created_at)
    relay.relay()
    from django.core import mail

    assert [m.subject for m in mail.outbox] == [f"[#{ticket.pk}] IDAS激活问题"]
    assert ticket.events.get(kind=EventKind.ANSWERED).data["mailed_at"]
