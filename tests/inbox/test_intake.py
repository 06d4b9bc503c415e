"""Intake without a server: what a parsed mail becomes."""

import pytest

from inbox.intake import receive_mail
from inbox.mailparse import parse
from tests.inbox.letters import letter
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "sender", ["张三 <zhang san@example.com>", "张三 <zhangsan@@example..com>"]
)
def test_a_sender_address_the_ticket_cannot_hold_is_dropped_with_a_note(sender):
    record = receive_mail(parse(letter(sender=sender)))
    ticket = Ticket.objects.get()
    assert ticket.contact_email == ""
    assert "example" in record.note


def test_a_body_longer_than_a_ticket_holds_is_cut_with_a_note():
    record = receive_mail(parse(letter(body="激活失败。" * 2000)))
    assert len(Ticket.objects.get().text) == 5000
    assert "5000" in record.note


def test_a_new_mail_on_a_problem_the_candidate_already_has_is_recorded_as_joined():
    first = receive_mail(parse(letter()))
    second = receive_mail(
        parse(letter(body="IDAS激活还是收不到短信验证码，考生号 105956000001234"))
    )
    assert Ticket.objects.count() == 1
    assert (first.outcome, second.outcome) == ("created", "appended")
    assert second.ticket == first.ticket
