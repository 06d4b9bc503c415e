"""API input rules (issue 12, item 6): candidate numbers ASCII digits only,
text a JSON string."""

import pytest
from rest_framework.authtoken.models import Token

from tickets.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, desk):
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {Token.objects.create(user=desk).key}"
    return client


def _post(api, **body):
    return api.post("/api/tickets/", {"channel": "wechat", **body}, content_type="application/json")


@pytest.mark.parametrize("number", ["１０６１４６０００００００００２", "١٠٦١٤٦٠٠٠٠٠٠٠٠٢"])
def test_candidate_numbers_are_ascii_digits_only(api, number):
    response = _post(api, text="企业微信收不到验证码", candidate_number=number)
    assert response.status_code == 400 and "candidate_number" in response.json()
    assert Ticket.objects.count() == 0


@pytest.mark.parametrize("text", [0, 12.5, ["收不到验证码"], {"a": 1}, True])
def test_text_must_be_a_string(api, text):
    response = _post(api, text=text)
    assert response.status_code == 400 and "text" in response.json()
    assert Ticket.objects.count() == 0


def test_the_schema_is_for_signed_in_callers_only(client, api):
    assert client.get("/api/schema/", HTTP_AUTHORIZATION="").status_code == 401
    assert api.get("/api/schema/").status_code == 200


def test_the_api_answers_while_the_cache_holding_the_throttles_is_down(api, settings):
    # The production cache is Redis; a Redis outage must not turn every API
    # request into a 500 at the throttle (escalations, referrals, creates).
    from tests.services import free_port

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    assert api.get("/api/tickets/").status_code == 200
    created = _post(api, text="企业微信收不到验证码")
    assert created.status_code == 201
    bad = api.get("/api/tickets/", HTTP_AUTHORIZATION="Token not-a-token")
    assert bad.status_code == 401
