"""/channels/wecom/callback/: WeCom's URL check and its encrypted messages;
anything unsigned, stale or malformed is refused and stores nothing."""

import time

import pytest

from inbox.models import ChannelMessage, ChannelState
from tests.inbox import wecom_client as wecom
from tests.inbox.letters import messages_on
from tickets.models import Status, Ticket

pytestmark = [pytest.mark.wecom, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _wecom(settings):
    wecom.configure(settings)


def test_url_verification_answers_the_decrypted_echostr(client):
    response = wecom.verification_get(client)
    assert response.status_code == 200
    assert response.content == b"1616140317555161061"


def test_url_verification_with_a_wrong_token_is_refused(client):
    assert wecom.verification_get(client, token="wrong").status_code == 403


def test_a_text_message_becomes_a_wechat_ticket(client):
    response = wecom.signed_post(client, wecom.text_message("IDAS激活收不到验证码 105956000001234"))
    assert response.status_code == 200
    ticket = Ticket.objects.get()
    assert ticket.channel == "wechat" and ticket.contact_wechat == "zhangsan"
    assert ticket.candidate_number == "105956000001234"
    assert ticket.category
    assert ChannelState.objects.get(source="wecom").last_success_at is not None


def test_a_second_message_joins_the_member_s_open_ticket_and_reopens_it(client):
    wecom.signed_post(client, wecom.text_message("IDAS激活收不到验证码"))
    ticket = Ticket.objects.get()
    Ticket.objects.filter(pk=ticket.pk).update(status=Status.ANSWERED)
    wecom.signed_post(client, wecom.text_message("还是收不到"))
    ticket.refresh_from_db()
    assert Ticket.objects.count() == 1
    assert ticket.status == Status.NEW
    assert messages_on(ticket) == ["还是收不到"]


def test_a_resolved_ticket_is_not_joined(client):
    wecom.signed_post(client, wecom.text_message("IDAS激活收不到验证码"))
    Ticket.objects.update(status=Status.RESOLVED)
    wecom.signed_post(client, wecom.text_message("新问题：企业微信登录不了"))
    assert Ticket.objects.count() == 2


def test_wecom_retrying_the_same_message_makes_one_ticket(client):
    message = wecom.text_message("IDAS激活收不到验证码", msg_id="4561255354251345929")
    assert wecom.signed_post(client, message).status_code == 200
    assert wecom.signed_post(client, message).status_code == 200
    assert Ticket.objects.count() == 1


def test_other_members_get_their_own_tickets(client):
    wecom.signed_post(client, wecom.text_message("IDAS激活收不到验证码", userid="a"))
    wecom.signed_post(client, wecom.text_message("IDAS激活收不到验证码", userid="b"))
    assert Ticket.objects.count() == 2


@pytest.mark.parametrize(
    "kwargs,status",
    [
        ({"token": "not-our-token"}, 403),
        ({"timestamp": int(time.time()) - 301}, 403),
        ({"corp_id": "ww-another-corp"}, 403),
        ({"body": "<xml><Encrypt>"}, 400),
        ({"body": "<xml><ToUserName>x</ToUserName></xml>"}, 400),
        ({"body": '<!DOCTYPE x [<!ENTITY a "b">]><xml><Encrypt>&a;</Encrypt></xml>'}, 400),
    ],
)
def test_bad_requests_are_refused_and_store_nothing(client, kwargs, status):
    response = wecom.signed_post(client, wecom.text_message("IDAS激活收不到验证码"), **kwargs)
    assert response.status_code == status
    assert Ticket.objects.count() == 0 and ChannelMessage.objects.count() == 0


def test_a_request_without_signature_is_refused(client):
    response = client.post(wecom.URL, data="<xml/>", content_type="text/xml")
    assert response.status_code == 400
    assert Ticket.objects.count() == 0


def test_a_signed_but_malformed_inner_message_is_refused(client):
    assert wecom.signed_post(client, "<xml><Content>no sender").status_code == 400
    assert Ticket.objects.count() == 0


def test_events_and_pictures_are_acknowledged_without_a_ticket(client):
    event = wecom.text_message("x").replace("[text]", "[event]")
    assert wecom.signed_post(client, event).status_code == 200
    assert Ticket.objects.count() == 0


def test_the_callback_is_off_until_configured(client, settings):
    settings.WECOM_TOKEN = ""
    assert wecom.verification_get(client).status_code == 404
