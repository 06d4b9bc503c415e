"""/healthz names the database, the broker and the outbox backlog; 503 when one is down."""

from datetime import timedelta

import pytest
from django.utils import timezone

from outbox.models import OutboxMessage
from tests.services import PrivateRedis

pytestmark = pytest.mark.django_db


def test_healthy_when_everything_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] and body["broker"] == {"ok": True, "mode": "eager"}
    assert body["outbox"]["undelivered"] == 0 and body["outbox"]["oldest_age_seconds"] == 0


def test_a_broker_that_is_down_gives_503(client, settings, tmp_path):
    redis_server = PrivateRedis(tmp_path).start()
    settings.REDIS_URL = redis_server.url
    try:
        assert client.get("/healthz").json()["broker"] == {"ok": True, "mode": "redis"}
    finally:
        redis_server.stop()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"]["ok"] is False
    assert "Connection" in response.json()["broker"]["error"]


def test_an_old_outbox_backlog_gives_503(client, settings):
    settings.OUTBOX_BACKLOG_MAX_AGE = 600
    OutboxMessage.objects.create(kind="mail", created_at=timezone.now() - timedelta(minutes=5))
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["outbox"]["undelivered"] == 1
    OutboxMessage.objects.update(created_at=timezone.now() - timedelta(minutes=11))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["outbox"]["ok"] is False
    assert response.json()["outbox"]["oldest_age_seconds"] >= 660
