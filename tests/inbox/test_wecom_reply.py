"""The desk's answer to a WeCom ticket goes out through the message API (a
local stand-in), with the access token cached and refreshed on expiry."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from inbox.models import ChannelState
from outbox.models import OutboxMessage
from tests.inbox import wecom_client as wecom
from tests.inbox.wecom_api import StandIn
from tickets.models import EventKind, Ticket

pytestmark = [pytest.mark.wecom, pytest.mark.django_db]


@pytest.fixture
def api(settings):
    # A cache of this test's own: parallel test processes share the file cache.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "wecom"}
    }
    cache.clear()
    stand_in = StandIn().start()
    wecom.configure(settings, api_base=stand_in.base)
    yield stand_in
    stand_in.stop()


def answer(client, ticket, text, capture):
    with capture(execute=True):
        return client.post(
            reverse("tickets:action", args=[ticket.pk, "answer"]), {"reply_text": text, "note": ""}
        )


def wecom_ticket(client, userid="zhangsan"):
    wecom.signed_post(client, wecom.text_message("IDAS激活收不到验证码", userid=userid))
    return Ticket.objects.get(contact_wechat=userid)


def test_the_answer_reaches_the_member_through_the_message_api(
    api, client, desk, django_capture_on_commit_callbacks
):
    ticket = wecom_ticket(client)
    client.force_login(desk)
    assert "通过企业微信发送答复" in client.get(ticket.get_absolute_url()).content.decode()
    answer(client, ticket, "请重新获取验证码。", django_capture_on_commit_callbacks)
    [(_, body)] = api.sent
    assert body["touser"] == "zhangsan" and body["msgtype"] == "text"
    assert body["agentid"] == int(wecom.AGENT_ID)
    assert "请重新获取验证码。" in body["text"]["content"]
    assert f"/guide/{ticket.category}/" in body["text"]["content"]
    assert ticket.events.get(kind=EventKind.ANSWERED).data["wecom_sent_at"]
    assert "已通过企业微信发送" in client.get(ticket.get_absolute_url()).content.decode()


def test_the_access_token_is_fetched_once_and_shared(
    api, client, desk, django_capture_on_commit_callbacks
):
    first, second = wecom_ticket(client, "a"), wecom_ticket(client, "b")
    client.force_login(desk)
    answer(client, first, "答复一", django_capture_on_commit_callbacks)
    answer(client, second, "答复二", django_capture_on_commit_callbacks)
    assert len(api.sent) == 2 and api.tokens_issued == 1


def test_an_expired_token_is_refreshed_and_the_message_still_sent(
    api, client, desk, django_capture_on_commit_callbacks
):
    first, second = wecom_ticket(client, "a"), wecom_ticket(client, "b")
    client.force_login(desk)
    answer(client, first, "答复一", django_capture_on_commit_callbacks)
    api.expire_tokens()
    answer(client, second, "答复二", django_capture_on_commit_callbacks)
    assert [body["touser"] for _, body in api.sent] == ["a", "b"]
    assert api.tokens_issued == 2


def test_an_api_outage_keeps_the_answer_waiting_in_the_outbox(
    api, client, desk, settings, django_capture_on_commit_callbacks
):
    ticket = wecom_ticket(client)
    settings.WECOM_API_BASE = "http://127.0.0.1:9"
    client.force_login(desk)
    answer(client, ticket, "请重新获取验证码。", django_capture_on_commit_callbacks)
    pending = OutboxMessage.objects.get(kind="inbox.wecom_reply")
    assert pending.delivered_at is None and pending.last_error
    assert "企业微信消息等待发送" in client.get(ticket.get_absolute_url()).content.decode()
    assert ChannelState.objects.get(source="wecom").last_success_at is not None

    assert pending_wecom_backlog(client) == 1
    assert ChannelState.objects.get(source="wecom").last_error


def pending_wecom_backlog(client):
    from inbox.status import channels

    return next(c["backlog"] for c in channels() if c["source"] == "wecom")
