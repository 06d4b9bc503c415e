"""An upload while Redis is down: the request answers at once, the start of the
import waits in the outbox, and reaches the queue once Redis is back."""

import base64
import json
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from imports.jobs import START_JOB
from imports.models import ImportJob, JobStatus
from outbox.models import OutboxMessage
from tests.imports.test_views import csv_upload
from tests.services import PrivateRedis, celery_broker

pytestmark = pytest.mark.django_db


def test_an_upload_during_a_broker_outage_is_queued_when_it_returns(
    client, desk, tmp_path, django_capture_on_commit_callbacks
):
    redis_server = PrivateRedis(tmp_path)  # not started yet: the broker is down
    client.force_login(desk)
    with celery_broker(redis_server.url):
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("imports:index"), {"file": csv_upload()})
        assert time.monotonic() - started < 8
        assert response.status_code == 302
        job = ImportJob.objects.get()
        assert job.status == JobStatus.PENDING
        row = OutboxMessage.objects.get(kind=START_JOB)
        assert row.delivered_at is None and row.last_error

        redis_server.start()
        try:
            OutboxMessage.objects.update(available_at=timezone.now() - timedelta(seconds=1))
            call_command("relay", verbosity=0)
            queued = [json.loads(m) for m in redis_server.client().lrange("celery", 0, -1)]
        finally:
            redis_server.stop()
    row.refresh_from_db()
    assert row.delivered_at is not None
    assert [m["headers"]["task"] for m in queued] == ["imports.tasks.run_import"]
    assert json.loads(base64.b64decode(queued[0]["body"]))[0] == [job.pk]
