"""What a new user found wrong on the ticket pages (issue 11, items 5 and 6)."""

import pytest

from guide.triage import Suggestion
from tickets import actions
from tickets.models import EventKind

ABSTAIN = "未匹配到指南分类，请人工处理"


@pytest.mark.django_db
class TestAbstention:
    def test_ticket_page_says_no_category_matched_instead_of_a_percentage(
        self, client, desk, make_ticket
    ):
        nothing = Suggestion(
            category="other", route="manual", confidence=0.2, also=(), evidence=(), reply=""
        )
        t = make_ticket("今天天气不错", suggestion=nothing)
        client.force_login(desk)
        html = client.get(t.get_absolute_url()).content.decode()
        snapshot = html.split('class="muted snapshot">')[1].split("</p>")[0]
        assert ABSTAIN in snapshot and "置信度" not in snapshot

    def test_a_matched_ticket_keeps_its_confidence(self, client, desk, make_ticket):
        t = make_ticket()
        client.force_login(desk)
        html = client.get(t.get_absolute_url()).content.decode()
        assert ABSTAIN not in html.split('class="muted snapshot">')[1].split("</p>")[0]

    def test_intake_suggestion_says_it_abstains(self, client, desk):
        client.force_login(desk)
        data = client.post("/tickets/suggest/", {"text": "今天天气不错"}).json()["suggestion"]
        assert data["category"] == "other" and data["abstains"] is True
        assert ABSTAIN in client.get("/tickets/new/").content.decode()


@pytest.mark.django_db
class TestTeacherContact:
    PHONE = "13812345678"

    def test_full_number_on_a_ticket_referred_to_their_college_with_an_event(
        self, client, desk, teacher_a, college_a, make_ticket
    ):
        t = make_ticket(college=college_a, contact_phone=self.PHONE)
        actions.perform("refer", actor=desk, ticket=t)
        client.force_login(teacher_a)
        html = client.get(t.get_absolute_url()).content.decode()
        assert self.PHONE in html
        client.get(t.get_absolute_url())
        views = t.events.filter(kind=EventKind.CONTACT_VIEWED)
        assert views.count() == 2 and {e.actor for e in views} == {teacher_a}

    def test_masked_on_their_colleges_tickets_not_referred(
        self, client, teacher_a, college_a, make_ticket
    ):
        t = make_ticket(college=college_a, contact_phone=self.PHONE)
        client.force_login(teacher_a)
        html = client.get(t.get_absolute_url()).content.decode()
        assert self.PHONE not in html and "138****5678" in html
        assert not t.events.filter(kind=EventKind.CONTACT_VIEWED).exists()

    def test_desk_views_leave_no_event(self, client, desk, make_ticket):
        t = make_ticket(contact_phone=self.PHONE)
        client.force_login(desk)
        assert self.PHONE in client.get(t.get_absolute_url()).content.decode()
        assert not t.events.filter(kind=EventKind.CONTACT_VIEWED).exists()
