import re

import pytest

from tickets import actions
from tickets.models import Status, Ticket


@pytest.mark.django_db
class TestTicketPage:
    def test_another_colleges_ticket_is_a_404(self, client, make_ticket, teacher_a, college_b):
        t = make_ticket(college=college_b)
        client.force_login(teacher_a)
        assert client.get(f"/tickets/{t.pk}/").status_code == 404
        assert client.post(f"/tickets/{t.pk}/comment/", {"note": "x"}).status_code == 404

    def test_full_phone_for_desk_masked_for_teacher(
        self, client, make_ticket, desk, teacher_a, college_a
    ):
        t = make_ticket(college=college_a, contact_phone="13812345678")
        client.force_login(desk)
        assert "13812345678" in client.get(f"/tickets/{t.pk}/").content.decode()
        client.force_login(teacher_a)
        page = client.get(f"/tickets/{t.pk}/").content.decode()
        assert "13812345678" not in page and "138****5678" in page

    def test_timeline_shows_each_change_with_who_and_note(self, client, make_ticket, desk):
        t = make_ticket()
        actions.perform("comment", actor=desk, ticket=t, note="考生说换过手机")
        client.force_login(desk)
        page = client.get(f"/tickets/{t.pk}/").content.decode()
        assert "考生说换过手机" in page and desk.username in page

    def test_escalation_note_is_ready_to_send(self, client, make_ticket, desk):
        t = make_ticket(candidate_number="106146000000044")
        client.force_login(desk)
        page = client.get(f"/tickets/{t.pk}/").content.decode()
        assert "iservice@uestc.edu.cn" in page and "106146000000044" in page


@pytest.mark.django_db
class TestActions:
    def test_answer_sent(self, client, make_ticket, desk):
        t = make_ticket()
        client.force_login(desk)
        response = client.post(
            f"/tickets/{t.pk}/answer/", {"reply_text": "请在企业微信里重新获取验证码"}
        )
        assert response.status_code == 302
        t.refresh_from_db()
        assert t.status == Status.ANSWERED and t.reply_text == "请在企业微信里重新获取验证码"

    def test_escalate_sends_mail(
        self, client, make_ticket, desk, mailoutbox, django_capture_on_commit_callbacks
    ):
        t = make_ticket()
        client.force_login(desk)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/tickets/{t.pk}/escalate/", {"note": "请协助重置绑定手机号"})
        assert Ticket.objects.get(pk=t.pk).status == Status.ESCALATED
        assert mailoutbox[0].body == "请协助重置绑定手机号"

    def test_invalid_transition_is_an_error_message_and_changes_nothing(
        self, client, make_ticket, desk
    ):
        t = actions.perform("close", actor=desk, ticket=make_ticket())
        client.force_login(desk)
        response = client.post(f"/tickets/{t.pk}/answer/", {"reply_text": "x"}, follow=True)
        assert "不能变为" in response.content.decode()
        assert Ticket.objects.get(pk=t.pk).status == Status.CLOSED

    def test_reopen_needs_a_note(self, client, make_ticket, desk):
        t = actions.perform("close", actor=desk, ticket=make_ticket())
        client.force_login(desk)
        client.post(f"/tickets/{t.pk}/reopen/", {"note": ""})
        assert Ticket.objects.get(pk=t.pk).status == Status.CLOSED
        client.post(f"/tickets/{t.pk}/reopen/", {"note": "考生又来电"})
        assert Ticket.objects.get(pk=t.pk).status == Status.NEW

    def test_teacher_resolves_a_referred_ticket_but_cannot_answer(
        self, client, make_ticket, desk, teacher_a, college_a
    ):
        t = actions.perform("refer", actor=desk, ticket=make_ticket(college=college_a))
        client.force_login(teacher_a)
        assert client.post(f"/tickets/{t.pk}/answer/", {"reply_text": "x"}).status_code == 403
        client.post(f"/tickets/{t.pk}/resolve/", {"note": "已拉进学院群"})
        assert Ticket.objects.get(pk=t.pk).status == Status.RESOLVED

    def test_correction_from_the_page(self, client, make_ticket, desk):
        from guide.models import LabelledExample

        t = make_ticket()
        client.force_login(desk)
        client.post(f"/tickets/{t.pk}/correct/", {"category": "phone_change", "route": "escalate"})
        t.refresh_from_db()
        assert (t.category, t.route) == ("phone_change", "escalate")
        assert LabelledExample.objects.filter(ticket_id=t.pk, category="phone_change").exists()

    def test_the_answer_form_posts_with_its_own_csrf_token(self, make_ticket, desk):
        # As a browser does: the token comes from the page's form, nowhere else.
        from django.test import Client

        t = make_ticket()
        client = Client(enforce_csrf_checks=True)
        client.force_login(desk)
        page = client.get(f"/tickets/{t.pk}/").content.decode()
        form = page[page.index('id="answer"') :]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        reply = {"reply_text": "请重新获取验证码"}
        assert client.post(f"/tickets/{t.pk}/answer/", reply).status_code == 403  # forged
        response = client.post(f"/tickets/{t.pk}/answer/", {**reply, "csrfmiddlewaretoken": token})
        assert response.status_code == 302
        assert Ticket.objects.get(pk=t.pk).status == Status.ANSWERED


@pytest.mark.django_db
def test_other_problems_raised_are_listed(client, make_ticket, desk):
    from guide.triage import Suggestion

    s = Suggestion(category="sms_code", route="guide_answer", confidence=0.7, also=["harmonyos"])
    t = make_ticket(suggestion=s)
    client.force_login(desk)
    page = client.get(f"/tickets/{t.pk}/").content.decode()
    from guide.models import FaqCategory

    assert FaqCategory.objects.get(code="harmonyos").title in page


@pytest.mark.django_db
def test_ticket_page_queries_do_not_grow_with_the_timeline(client, make_ticket, desk):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    t = make_ticket()
    client.force_login(desk)
    client.get(f"/tickets/{t.pk}/")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/tickets/{t.pk}/")
    for i in range(20):
        actions.perform("comment", actor=desk, ticket=t, note=f"备注 {i}")
    with CaptureQueriesContext(connection) as many:
        client.get(f"/tickets/{t.pk}/")
    assert len(many) == len(few)


@pytest.mark.django_db
def test_the_ticket_page_asks_nothing_twice(client, make_ticket, desk):
    # Its walk through the last list reads the filter's categories from the
    # page, not again from the database.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    older, t, newer = make_ticket(), make_ticket(), make_ticket()
    for ticket in (older, t, newer):
        actions.perform("close", actor=desk, ticket=ticket)
    client.force_login(desk)
    client.get("/tickets/?status=closed")
    with CaptureQueriesContext(connection) as captured:
        page = client.get(f"/tickets/{t.pk}/").content.decode()
    assert f'id="prev-ticket" href="/tickets/{newer.pk}/"' in page
    sql = [q["sql"] for q in captured.captured_queries]
    repeated = {q for q in sql if sql.count(q) > 1}
    assert not repeated, repeated


@pytest.mark.django_db
def test_an_open_tickets_page_writes_the_escalation_note_from_what_it_read(
    client, make_ticket, desk
):
    # The note's category title and the steps already tried come from the
    # page's own categories and timeline, not from queries of their own.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    t = make_ticket()
    actions.perform("comment", actor=desk, ticket=t, note="已电话联系考生")
    client.force_login(desk)
    client.get(f"/tickets/{t.pk}/")
    with CaptureQueriesContext(connection) as captured:
        page = client.get(f"/tickets/{t.pk}/").content.decode()
    note = page.split('id="id_note_escalate"')[1].split("</textarea>")[0]
    assert "已电话联系考生" in note
    sql = [q["sql"] for q in captured.captured_queries]
    repeated = {q for q in sql if sql.count(q) > 1}
    assert not repeated, repeated
    assert sum('"tickets_ticketevent"' in q for q in sql) == 1


@pytest.mark.django_db
def test_a_desk_member_removed_from_the_desk_loses_its_pages_at_once(client, make_ticket, desk):
    from django.contrib.auth.models import Group

    from tickets import roles

    t = make_ticket()
    client.force_login(desk)
    assert client.get(f"/tickets/{t.pk}/").status_code == 200
    desk.groups.remove(Group.objects.get(name=roles.DESK))
    assert client.get(f"/tickets/{t.pk}/").status_code == 404


@pytest.mark.django_db
def test_referral_to_a_college_without_teachers_warns(client, make_ticket, desk, college_b):
    t = make_ticket(college=college_b)
    client.force_login(desk)
    response = client.post(f"/tickets/{t.pk}/refer/", {"note": ""}, follow=True)
    assert "没有人收到通知" in response.content.decode()
    assert Ticket.objects.get(pk=t.pk).status == Status.REFERRED


@pytest.mark.django_db
def test_the_answer_and_escalation_texts_are_made_only_for_a_ticket_that_can_move_there(
    client, make_ticket, desk, monkeypatch
):
    from macros import selectors as macros
    from tickets import notifications

    made = []
    note, choices = notifications.escalation_note, macros.choices_for
    monkeypatch.setattr(
        notifications, "escalation_note", lambda t, **kw: made.append("note") or note(t, **kw)
    )
    monkeypatch.setattr(macros, "choices_for", lambda t: made.append("replies") or choices(t))
    open_one, closed = make_ticket(), make_ticket(candidate_number="106146000100099")
    actions.perform("close", actor=desk, ticket=closed)
    client.force_login(desk)
    page = client.get(f"/tickets/{open_one.pk}/").content.decode()
    assert made == ["replies", "note"]
    assert 'id="id_note_escalate"' in page and 'id="mark-answered"' in page
    made.clear()
    page = client.get(f"/tickets/{closed.pk}/").content.decode()
    assert made == []
    assert 'id="id_note_escalate"' not in page and 'id="mark-answered"' not in page
