from datetime import timedelta

import pytest
from django.utils import timezone

from tickets import actions
from tickets.models import Status, Ticket

NUMBER = "106146000000077"
TEXT = "企业号激活第三步一直收不到手机验证码"


@pytest.mark.django_db
def test_a_new_message_reopens_the_resolved_ticket_instead_of_a_duplicate(make_ticket, desk):
    first = make_ticket(TEXT, candidate_number=NUMBER)
    actions.perform("answer", actor=desk, ticket=first, reply_text="请重发")
    actions.perform("resolve", actor=desk, ticket=first)
    again = make_ticket(
        TEXT + "，重发了还是没有", candidate_number=NUMBER, contact_phone="13900001111"
    )
    first.refresh_from_db()
    assert again.pk == first.pk and Ticket.objects.count() == 1
    assert first.status == Status.NEW and first.resolved_at is None
    assert first.contact_phone == "13900001111"  # kept from the new message
    event = first.events.latest("id")
    assert (event.kind, event.note) == ("reopened", TEXT + "，重发了还是没有")


@pytest.mark.django_db
def test_other_problem_closed_or_long_resolved_opens_a_new_ticket(make_ticket, desk):
    first = make_ticket(TEXT, candidate_number=NUMBER)
    other = make_ticket("华为鸿蒙手机装不了企业微信", candidate_number=NUMBER)
    assert other.pk != first.pk
    actions.perform("close", actor=desk, ticket=first)
    assert make_ticket(TEXT, candidate_number=NUMBER).pk != first.pk
    old = make_ticket("统一认证密码忘了怎么重置", candidate_number=NUMBER)
    actions.perform("resolve", actor=desk, ticket=old)
    Ticket.objects.filter(pk=old.pk).update(resolved_at=timezone.now() - timedelta(days=31))
    assert make_ticket("统一认证密码忘了怎么重置", candidate_number=NUMBER).pk != old.pk


@pytest.mark.django_db
def test_another_candidate_sharing_a_phone_gets_their_own_ticket(make_ticket):
    first = make_ticket(TEXT, candidate_number=NUMBER, contact_phone="13900001111")
    second = make_ticket(TEXT, candidate_number="106146000000078", contact_phone="13900001111")
    assert second.pk != first.pk
    # without a number, the phone is the identity
    third = make_ticket(TEXT, contact_phone="13900001111")
    assert third.pk == second.pk


@pytest.mark.django_db
def test_the_api_answers_with_the_reopened_ticket(make_ticket, desk):
    from rest_framework.test import APIClient

    first = make_ticket(TEXT, candidate_number=NUMBER)
    api = APIClient()
    api.force_authenticate(desk)
    response = api.post(
        "/api/tickets/",
        {"text": TEXT, "channel": "email", "candidate_number": NUMBER},
        format="json",
    )
    assert response.json()["id"] == first.pk
    assert Ticket.objects.count() == 1


@pytest.mark.django_db
def test_save_and_next_returns_an_empty_intake_form(client, desk):
    client.force_login(desk)
    response = client.post(
        "/tickets/new/",
        {"text": TEXT, "channel": "phone", "accept": "1", "and_next": "1"},
        follow=True,
    )
    ticket = Ticket.objects.get()
    html = response.content.decode()
    assert response.request["PATH_INFO"] == "/tickets/new/"
    assert f'href="/tickets/{ticket.pk}/"' in html  # the saved one is linked
    assert TEXT not in html.split('id="id_text"')[1].split("</textarea>")[0]
    assert 'id="and-next" checked' in html
