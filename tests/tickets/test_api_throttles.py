"""API throttles answer 429 with Retry-After, bad tokens included (issue 12, item 6)."""

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.settings import api_settings

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_cache(settings):
    # A cache of this test's own: counts never leak between tests or processes.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "throttle-tests",
        }
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def rates(settings):
    def set_rates(**rates):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {**api_settings.DEFAULT_THROTTLE_RATES, **rates},
        }

    return set_rates


def test_repeated_bad_tokens_get_429_with_retry_after(client):
    statuses = [
        client.get("/api/tickets/", HTTP_AUTHORIZATION=f"Token bad{i:040d}").status_code
        for i in range(200)
    ]
    assert statuses[0] == 401 and statuses[-1] == 429
    assert statuses.count(401) == 20
    response = client.get("/api/tickets/", HTTP_AUTHORIZATION="Token bad")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0


def test_each_token_has_its_own_rate(client, desk, rates):
    rates(token="5/min")
    token = Token.objects.create(user=desk)
    statuses = [
        client.get("/api/tickets/", HTTP_AUTHORIZATION=f"Token {token.key}").status_code
        for _ in range(7)
    ]
    assert statuses == [200] * 5 + [429] * 2


def test_each_address_has_its_own_rate(client, desk, teacher_a, rates):
    rates(address="3/min")
    keys = [Token.objects.create(user=user).key for user in (desk, teacher_a)]
    statuses = [
        client.get("/api/tickets/", HTTP_AUTHORIZATION=f"Token {keys[i % 2]}").status_code
        for i in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    other = client.get(
        "/api/tickets/", HTTP_AUTHORIZATION=f"Token {keys[0]}", REMOTE_ADDR="10.0.0.9"
    )
    assert other.status_code == 200
