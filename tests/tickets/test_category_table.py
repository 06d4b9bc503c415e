"""A ticket's category is checked against the categories table: a category
added as a row is usable at once, with no code change or migration."""

import pytest
from django.core.exceptions import ValidationError

from tickets import actions


def test_staff_can_correct_a_ticket_to_a_category_added_as_a_row(make_ticket, desk, new_category):
    ticket = make_ticket()
    actions.perform("correct", actor=desk, ticket=ticket, category="exam_vpn", route="guide_answer")
    ticket.refresh_from_db()
    assert ticket.category == "exam_vpn"
    ticket.full_clean()


def test_a_code_missing_from_the_table_is_rejected(make_ticket, desk):
    ticket = make_ticket()
    with pytest.raises(ValidationError):
        actions.perform(
            "correct", actor=desk, ticket=ticket, category="exam_vpn", route="guide_answer"
        )
    ticket.category = "exam_vpn"
    with pytest.raises(ValidationError) as raised:
        ticket.full_clean()
    assert "category" in raised.value.message_dict
