"""Secure by default with DEBUG off (issue 12, item 7)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def _check_deploy(**extra):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SUPPORTDESK_HTTPS", "DATABASE_URL", "REDIS_URL"}
        and not k.startswith("PYTEST")
    }
    env.update(SECRET_KEY="k3y-" + "x7Qz9" * 12, ALLOWED_HOSTS="desk.example.edu.cn", **extra)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_only_secret_key_and_allowed_hosts():
    done = _check_deploy()
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_an_http_only_lab_deployment_opts_out_and_is_warned():
    done = _check_deploy(SUPPORTDESK_HTTPS="0")
    assert done.returncode != 0
    for warning in ("W004", "W008", "W012", "W016"):
        assert warning in done.stdout + done.stderr


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client, desk):
    client.force_login(desk)
    response = client.get(reverse("tickets:list"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    script_src = next(part for part in policy.split(";") if "script-src" in part)
    assert "'unsafe-inline'" not in script_src and "*" not in script_src


@pytest.mark.django_db
def test_the_import_pages_inline_script_carries_the_nonce(client, desk):
    from imports.models import ImportJob, JobStatus

    job = ImportJob.objects.create(original_name="x.csv", status=JobStatus.RUNNING)
    client.force_login(desk)
    response = client.get(reverse("imports:job", args=[job.pk]))
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in response.content.decode()


@pytest.mark.django_db
def test_ticket_pages_and_exports_are_not_cached(client, desk, make_ticket):
    ticket = make_ticket()
    client.force_login(desk)
    for response in (
        client.get(reverse("tickets:detail", args=[ticket.pk])),
        client.get(reverse("tickets:list"), {"export": "csv", "status": ""}),
    ):
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


@pytest.mark.django_db
def test_the_session_ends_after_eight_idle_hours_and_renews_on_use(client, desk):
    client.force_login(desk)
    assert client.session.get_expiry_age() == 8 * 3600
    session = client.session
    session["_renewed_at"] = 0  # last renewed long ago
    session.save()
    response = client.get(reverse("tickets:list"))
    assert response.cookies["sessionid"]["max-age"] == 8 * 3600
    # Renewed just now: the next request writes nothing.
    assert "sessionid" not in client.get(reverse("tickets:list")).cookies


def test_weak_passwords_are_refused():
    for weak in ("12345678", "password", "qwertyuiop"):
        with pytest.raises(ValidationError):
            validate_password(weak)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/password_reset/", "/accounts/reset/done/"])
def test_there_is_no_half_working_password_reset(client, desk, path):
    client.force_login(desk)  # signed in, the middleware lets the request through
    assert client.get(path).status_code == 404
    assert client.post(path, {"email": desk.email}).status_code == 404


@pytest.mark.django_db
def test_a_session_past_its_expiry_is_signed_out_and_a_live_one_is_not(client, desk):
    # supportdesk.sessions reads the row with its own statement: the expiry
    # and the key still decide, as Django's database sessions do.
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client.force_login(desk)
    assert client.get(reverse("tickets:list")).status_code == 200
    key = client.cookies["sessionid"].value
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(1))
    response = client.get(reverse("tickets:list"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    client.cookies["sessionid"] = "no-such-session-key-at-all-0123456"
    assert client.get(reverse("tickets:list")).status_code == 302
