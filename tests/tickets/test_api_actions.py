"""The API does what the ticket page does (issue 11, item 2)."""

import pytest

from guide.models import FaqCategory, LabelledExample
from tests.tickets.test_api import token_client
from tickets import actions
from tickets.models import EventKind, Status

HARMONY = "华为 mate 70 鸿蒙系统装不了企业微信"


@pytest.mark.django_db
class TestPatch:
    def test_correction_moves_the_reply_learns_and_is_on_the_timeline(self, desk, make_ticket):
        t = make_ticket(HARMONY)
        target = "wechat_change" if t.category != "wechat_change" else "sms_code"
        response = token_client(desk).patch(
            f"/api/tickets/{t.pk}/", {"category": target, "note": "考生其实换了微信"}, format="json"
        )
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["category"] == target and body["route"] == t.route
        assert body["reply"] == FaqCategory.objects.get(code=target).answer_for(t.route)
        corrected = [e for e in body["events"] if e["kind"] == "corrected"]
        assert corrected and corrected[0]["note"] == "考生其实换了微信"
        assert LabelledExample.objects.filter(ticket_id=t.pk, category=target).exists()

    def test_a_teacher_may_not_correct(self, teacher_a, college_a, make_ticket):
        t = make_ticket(HARMONY, college=college_a)
        response = token_client(teacher_a).patch(
            f"/api/tickets/{t.pk}/", {"route": "manual"}, format="json"
        )
        assert response.status_code == 403
        t.refresh_from_db()
        assert t.route != "manual" or t.suggested_route == "manual"

    def test_an_unknown_category_is_400(self, desk, make_ticket):
        t = make_ticket()
        response = token_client(desk).patch(
            f"/api/tickets/{t.pk}/", {"category": "nope"}, format="json"
        )
        assert response.status_code == 400 and "category" in response.json()


@pytest.mark.django_db
class TestActions:
    def post(self, user, ticket, **body):
        return token_client(user).post(f"/api/tickets/{ticket.pk}/actions/", body, format="json")

    def test_answer_then_resolve(self, desk, make_ticket):
        t = make_ticket()
        response = self.post(desk, t, action="answer", reply_text="请确认手机号")
        assert response.status_code == 200, response.content
        assert response.json()["status"] == Status.ANSWERED
        assert self.post(desk, t, action="resolve", note="ok").json()["status"] == "resolved"

    def test_a_forbidden_transition_is_409_with_a_message(self, desk, make_ticket):
        t = actions.perform("close", actor=desk, ticket=make_ticket())
        response = self.post(desk, t, action="escalate")
        assert response.status_code == 409
        assert "已关闭" in response.json()["detail"]

    def test_escalate_uses_the_tried_steps(self, desk, make_ticket, mailoutbox):
        t = make_ticket(candidate_number="106146000000002")
        response = self.post(desk, t, action="escalate", tried="已重发验证码三次")
        assert response.status_code == 200
        note = [e for e in response.json()["events"] if e["kind"] == "escalated"][0]["note"]
        assert "已重发验证码三次" in note and "106146000000002" in note

    def test_a_teacher_comments_and_resolves_what_was_referred_only(
        self, desk, teacher_a, college_a, make_ticket
    ):
        t = make_ticket(college=college_a)
        assert self.post(teacher_a, t, action="resolve").status_code == 403
        assert self.post(teacher_a, t, action="answer", reply_text="x").status_code == 403
        assert self.post(teacher_a, t, action="comment", note="已联系").status_code == 200
        actions.perform("refer", actor=desk, ticket=t)
        assert self.post(teacher_a, t, action="resolve", note="已拉群").status_code == 200

    def test_another_colleges_ticket_is_404(self, teacher_b, college_a, make_ticket):
        t = make_ticket(college=college_a)
        assert self.post(teacher_b, t, action="comment", note="x").status_code == 404
        assert token_client(teacher_b).get(f"/api/tickets/{t.pk}/").status_code == 404

    def test_assign_me_and_reopen_needs_a_reason(self, desk, make_ticket):
        t = make_ticket(actor=desk, assignee=None)
        assert self.post(desk, t, action="assign_me").json()["assignee"] == desk.username
        actions.perform("close", actor=desk, ticket=t)
        response = self.post(desk, t, action="reopen")
        assert response.status_code == 400 and "note" in response.json()

    def test_an_unknown_action_is_400(self, desk, make_ticket):
        assert self.post(desk, make_ticket(), action="delete").status_code == 400


@pytest.mark.django_db
def test_get_includes_the_timeline(desk, make_ticket):
    t = make_ticket()
    actions.perform("comment", actor=desk, ticket=t, note="考生说换过手机")
    body = token_client(desk).get(f"/api/tickets/{t.pk}/").json()
    assert [e["kind"] for e in body["events"]] == [EventKind.CREATED, EventKind.COMMENTED]
    assert body["events"][1]["actor"] == desk.username


@pytest.mark.django_db
def test_the_schema_describes_patch_and_actions(desk):
    schema = token_client(desk).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    detail = schema["paths"]["/api/tickets/{id}/"]
    assert "patch" in detail and "TicketDetail" in str(detail["get"])
    assert "events" in schema["components"]["schemas"]["TicketDetail"]["properties"]
    post = schema["paths"]["/api/tickets/{id}/actions/"]["post"]
    assert "409" in post["responses"]
    assert "TicketAction" in str(post["requestBody"])
