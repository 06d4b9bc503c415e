import pytest
from django.core import mail

from notifications.models import Notification
from tests.base import make_user
from tickets import actions, roles


@pytest.fixture
def referred(make_ticket, desk, college_a):
    ticket = make_ticket("学院群一直没人拉我", college=college_a)
    return actions.perform("refer", actor=desk, ticket=ticket)


@pytest.mark.django_db
def test_a_teacher_comment_on_a_referred_ticket_notifies_its_assignee(
    client, referred, desk, teacher_a
):
    actions.perform("assign_me", actor=desk, ticket=referred)
    actions.perform("comment", actor=teacher_a, ticket=referred, note="已联系考生")
    client.force_login(desk)
    html = client.get("/tickets/").content.decode()
    counter = html.split('id="notification-counter"')[1].split("</a>")[0]
    assert ">1<" in counter
    page = client.get("/notifications/").content.decode()
    assert f"#{referred.pk}" in page and "已联系考生" in page
    row = Notification.objects.get()
    assert client.get(f"/notifications/{row.pk}/").url == f"/tickets/{referred.pk}/"
    row.refresh_from_db()
    assert row.read_at is not None


@pytest.mark.django_db
def test_resolved_by_a_teacher_with_no_assignee_tells_the_whole_desk(referred, teacher_a, desk):
    from tickets.models import Ticket

    other = make_user("desk2", roles.DESK)
    Ticket.objects.filter(pk=referred.pk).update(assignee=None)
    referred.refresh_from_db()
    actions.perform("resolve", actor=teacher_a, ticket=referred, note="已拉群")
    assert set(Notification.objects.values_list("recipient", flat=True)) == {desk.pk, other.pk}


@pytest.mark.django_db
def test_desk_actions_and_comments_on_unreferred_tickets_notify_nobody(
    make_ticket, desk, teacher_a, college_a
):
    ticket = make_ticket("学院群一直没人拉我", college=college_a)
    actions.perform("comment", actor=teacher_a, ticket=ticket, note="看一下")
    actions.perform("comment", actor=desk, ticket=ticket, note="desk 自己")
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_mail_when_configured_goes_through_the_outbox(
    referred, teacher_a, desk, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFY_DESK_BY_MAIL = True
    actions.perform("assign_me", actor=desk, ticket=referred)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.perform("comment", actor=teacher_a, ticket=referred, note="已联系考生")
    from outbox.models import OutboxMessage

    assert OutboxMessage.objects.filter(kind="mail", payload__to=[desk.email]).exists()
    assert any(desk.email in m.to and "已联系考生" in m.body for m in mail.outbox)


@pytest.mark.django_db
def test_teachers_have_no_counter(client, teacher_a):
    client.force_login(teacher_a)
    assert 'id="notification-counter"' not in client.get("/tickets/").content.decode()
