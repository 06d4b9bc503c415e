"""fetch_mail against a real Dovecot: each new mail is one triaged ticket,
exactly once, replies thread onto their ticket, bad mail never stops a fetch."""

import pytest
from django.core.management import call_command
from imap_tools import MailBoxUnencrypted

from inbox.fetch import fetch_mail
from inbox.models import Attachment, ChannelMessage, ChannelState
from tests.inbox.conftest import _config
from tests.inbox.letters import letter, messages_on
from tickets.models import EventKind, Status, Ticket

pytestmark = [pytest.mark.mail, pytest.mark.django_db]


def test_a_new_mail_becomes_one_triaged_email_ticket(mailboxes):
    mailboxes.deliver(letter())
    call_command("fetch_mail")
    ticket = Ticket.objects.get()
    assert ticket.channel == "email"
    assert ticket.contact_email == "zhangsan@example.com"
    assert ticket.candidate_number == "105956000001234"
    assert "收不到短信验证码" in ticket.text and "IDAS激活问题" in ticket.text
    assert ticket.category and ticket.suggested_confidence > 0
    assert all("\\Seen" in m.flags for m in mailboxes.messages())
    assert ChannelState.objects.get(source="email").last_success_at is not None


def test_fetching_again_adds_nothing(mailboxes):
    mailboxes.deliver(letter())
    fetch_mail()
    result = fetch_mail()
    assert Ticket.objects.count() == 1
    assert result.counts == {}


def test_killed_between_recording_and_flagging_never_duplicates(mailboxes, monkeypatch):
    mailboxes.deliver(letter())
    mailboxes.deliver(letter(body="第二封：IDAS密码忘了"))

    def killed(*args, **kwargs):
        raise KeyboardInterrupt  # the process dies before it flags anything

    monkeypatch.setattr(MailBoxUnencrypted, "flag", killed)
    with pytest.raises(KeyboardInterrupt):
        fetch_mail()
    assert Ticket.objects.count() == 2
    assert not any("\\Seen" in m.flags for m in mailboxes.messages())
    monkeypatch.undo()

    result = fetch_mail()
    assert Ticket.objects.count() == 2
    assert result.seen_before == 2
    assert all("\\Seen" in m.flags for m in mailboxes.messages())


def test_the_same_mail_delivered_twice_is_one_ticket(mailboxes):
    raw = letter(message_id="<dup-1@example.com>")
    mailboxes.deliver(raw)
    mailboxes.deliver(raw)
    fetch_mail()
    assert Ticket.objects.count() == 1


def test_auto_replies_and_bounces_make_no_ticket_and_are_not_fetched_again(mailboxes):
    mailboxes.deliver(letter(subject="自动回复: 您的工单", sender="a@qq.com"))
    mailboxes.deliver(letter(sender="MAILER-DAEMON@mx.example.com", subject="Undelivered Mail"))
    mailboxes.deliver(letter(headers={"Auto-Submitted": "auto-replied"}))
    result = fetch_mail()
    assert Ticket.objects.count() == 0
    assert result.counts == {"ignored": 3}
    assert fetch_mail().counts == {}


def test_our_own_mail_coming_back_is_ignored(mailboxes):
    mailboxes.deliver(letter(sender="服务台 <desk@desk.test>"))
    fetch_mail()
    assert Ticket.objects.count() == 0


def test_bad_mail_gets_a_ticket_with_a_note_and_the_fetch_goes_on(mailboxes, settings):
    settings.MAIL_ATTACHMENT_MAX_BYTES = 1024 * 1024
    big = b"\0" * (20 * 1024 * 1024)
    mailboxes.deliver(
        letter(body="附件是截图", attachments=[("huge.bin", "application/octet-stream", big)])
    )
    mailboxes.deliver(
        b"From: a@example.com\r\nSubject: =?x-nonsense?B?5r+A5rS7?=\r\n"
        b"Message-ID: <cs@example.com>\r\nContent-Type: text/plain; charset=x-nonsense\r\n\r\n"
        + "激活失败".encode()
    )
    mailboxes.deliver(letter(body=None, subject="没有正文"))
    mailboxes.deliver(letter(body=None, subject=""))
    # another candidate: the same sender on the same problem would join the first ticket
    mailboxes.deliver(letter(body="最后一封也要进来", sender="李四 <lisi@example.com>"))
    result = fetch_mail()
    assert result.failed == 0
    assert Ticket.objects.count() == 5
    huge = Attachment.objects.get(filename="huge.bin")
    assert huge.size == len(big) and not huge.stored
    assert "x-nonsense" in ChannelMessage.objects.get(external_id="<cs@example.com>").note
    assert Ticket.objects.filter(text__contains="激活失败").exists()
    assert Ticket.objects.filter(text__contains="没有正文").exists()
    assert Ticket.objects.filter(text__contains="最后一封也要进来").exists()


def test_small_attachments_are_kept_on_disk(mailboxes):
    mailboxes.deliver(letter(attachments=[("截图.png", "image/png", b"\x89PNG not really")]))
    fetch_mail()
    attachment = Attachment.objects.get()
    assert attachment.stored and attachment.ticket == Ticket.objects.get()
    assert attachment.file.read() == b"\x89PNG not really"
    assert "截图" not in attachment.file.name  # the sender's name never reaches the disk


def test_a_reply_by_in_reply_to_joins_its_ticket_and_reopens_it(mailboxes):
    mailboxes.deliver(letter(message_id="<first@example.com>"))
    fetch_mail()
    ticket = Ticket.objects.get()
    Ticket.objects.filter(pk=ticket.pk).update(status=Status.ANSWERED)
    mailboxes.deliver(
        letter(
            body="还是不行\n\n在 2026年3月1日 10:00，服务台 写道：\n> 请重试",
            subject="Re: IDAS激活问题",
            sender="另一个地址 <other@example.com>",
            in_reply_to="<first@example.com>",
        )
    )
    fetch_mail()
    ticket.refresh_from_db()
    assert Ticket.objects.count() == 1
    assert ticket.status == Status.NEW
    assert messages_on(ticket) == ["还是不行"]
    assert ticket.events.filter(kind=EventKind.REOPENED).exists()


def test_a_reply_to_a_closed_ticket_starts_a_new_one(mailboxes):
    mailboxes.deliver(letter(message_id="<first@example.com>"))
    fetch_mail()
    Ticket.objects.update(status=Status.CLOSED)
    mailboxes.deliver(
        letter(body="换了个问题：企业微信登录不了", in_reply_to="<first@example.com>")
    )
    fetch_mail()
    assert Ticket.objects.count() == 2


def test_a_reply_to_a_merged_ticket_goes_to_the_ticket_it_was_merged_into(mailboxes, make_ticket):
    mailboxes.deliver(letter(message_id="<first@example.com>"))
    fetch_mail()
    merged = Ticket.objects.get()
    target = make_ticket(channel="email", contact_email="zhangsan@example.com")
    Ticket.objects.filter(pk=merged.pk).update(merged_into=target, status=Status.CLOSED)
    mailboxes.deliver(letter(body="补充一句", in_reply_to="<first@example.com>"))
    fetch_mail()
    assert messages_on(target) == ["补充一句"] and messages_on(merged) == []


def test_ticket_number_in_the_subject_joins_only_for_the_same_sender(mailboxes):
    mailboxes.deliver(letter())
    fetch_mail()
    ticket = Ticket.objects.get()
    mailboxes.deliver(letter(body="补充：我用的是手机", subject=f"[#{ticket.pk}] 补充"))
    mailboxes.deliver(
        letter(body="我不是这张工单的人", subject=f"[#{ticket.pk}] 插一句", sender="x@example.com")
    )
    fetch_mail()
    assert Ticket.objects.count() == 2
    assert messages_on(ticket) == ["补充：我用的是手机"]


@pytest.mark.parametrize("security", ["imaps", "imap+starttls"])
def test_tls_connections(mailboxes, settings, dovecot_instance, security):
    settings.IMAP = _config(dovecot_instance, security)
    settings.IMAP_CA_FILE = dovecot_instance.ca_file
    mailboxes.deliver(letter())
    fetch_mail()
    assert Ticket.objects.count() == 1


def test_an_untrusted_certificate_is_refused(mailboxes, settings, dovecot_instance):
    settings.IMAP = _config(dovecot_instance, "imaps")
    settings.IMAP_CA_FILE = ""
    mailboxes.deliver(letter())
    with pytest.raises(Exception, match="CERTIFICATE"):
        fetch_mail()
    assert Ticket.objects.count() == 0


def test_a_failed_login_is_shown_on_the_channel_status(mailboxes, settings):
    settings.IMAP = {**settings.IMAP, "password": "wrong"}
    with pytest.raises(Exception):  # noqa: B017 -- imap-tools raises its own login error
        fetch_mail()
    state = ChannelState.objects.get(source="email")
    assert state.last_error and state.last_success_at is None


def test_limit_leaves_the_rest_as_backlog(mailboxes):
    for n in range(3):
        mailboxes.deliver(letter(body=f"第{n}封", sender=f"考生{n} <c{n}@example.com>"))
    result = fetch_mail(limit=2)
    assert Ticket.objects.count() == 2 and result.left == 1
    assert ChannelState.objects.get(source="email").backlog == 1
    fetch_mail()
    assert Ticket.objects.count() == 3
