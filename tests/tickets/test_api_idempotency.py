"""Idempotency-Key on POST /api/tickets/: a retried create returns the first
response and makes no second ticket (issue 12, item 6)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from tickets.idempotency import IdempotentRequest
from tickets.models import Ticket

pytestmark = pytest.mark.django_db

BODY = {"text": "企业微信收不到验证码", "channel": "wechat"}


@pytest.fixture
def api(client, desk):
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {Token.objects.create(user=desk).key}"
    return client


def _post(api, key=None, body=BODY):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return api.post("/api/tickets/", body, content_type="application/json", **headers)


def test_a_retried_create_returns_the_first_response(api):
    first, again = _post(api, "bot-42"), _post(api, "bot-42")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert Ticket.objects.count() == 1


def test_another_key_or_no_key_creates_again(api):
    _post(api, "a"), _post(api, "b"), _post(api), _post(api)
    assert Ticket.objects.count() == 4


def test_a_key_is_kept_for_24_hours(api):
    _post(api, "bot-42")
    IdempotentRequest.objects.update(created_at=timezone.now() - timedelta(hours=25))
    assert "Idempotent-Replayed" not in _post(api, "bot-42")
    assert Ticket.objects.count() == 2


def test_a_refused_create_is_not_remembered(api):
    assert _post(api, "k", {"text": "", "channel": "wechat"}).status_code == 400
    assert _post(api, "k").status_code == 201
