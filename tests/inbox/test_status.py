"""The channel status page for desk admins and the channels in /healthz."""

import pytest
from django.urls import reverse
from django.utils import timezone

from inbox.models import ChannelState
from tests.base import make_user
from tests.inbox import wecom_client as wecom
from tickets import roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk_admin(desk):
    desk.is_staff = True
    desk.save()
    return desk


def test_desk_staff_who_are_not_admins_do_not_see_it(client, desk):
    client.force_login(desk)
    assert client.get(reverse("inbox:status")).status_code == 403


def test_admins_find_it_in_the_navigation(client, desk_admin):
    client.force_login(desk_admin)
    assert reverse("inbox:status") in client.get(reverse("guide:index")).content.decode()
    client.force_login(make_user("dora", roles.DESK))
    assert reverse("inbox:status") not in client.get(reverse("guide:index")).content.decode()


def test_unconfigured_channels_say_so(client, desk_admin, settings):
    settings.IMAP = None
    client.force_login(desk_admin)
    page = client.get(reverse("inbox:status")).content.decode()
    assert page.count("未配置") >= 2


def test_last_success_error_and_backlog_are_shown(client, desk_admin, settings):
    settings.IMAP = {
        "security": "imaps",
        "host": "x",
        "port": 993,
        "user": "u",
        "password": "p",
        "folder": "INBOX",
    }
    wecom.configure(settings)
    now = timezone.now()
    ChannelState.objects.create(
        source="email",
        last_success_at=now - timezone.timedelta(minutes=5),
        last_error_at=now,
        last_error="LOGIN failed",
        backlog=7,
    )
    ChannelState.objects.create(source="wecom", last_success_at=now)
    client.force_login(desk_admin)
    page = client.get(reverse("inbox:status")).content.decode()
    email_row = page[page.index('id="channel-email"') : page.index('id="channel-wecom"')]
    assert "LOGIN failed" in email_row and "出错" in email_row and ">7<" in email_row
    wecom_row = page[page.index('id="channel-wecom"') :]
    assert "正常" in wecom_row


def test_healthz_reports_the_channels(client, settings):
    settings.IMAP = None
    body = client.get("/healthz").json()
    assert body["channels"]["email"]["configured"] is False
    assert body["channels"]["ok"] is True


def test_healthz_fails_while_a_configured_channel_is_failing(client, settings):
    settings.IMAP = {
        "security": "imaps",
        "host": "x",
        "port": 993,
        "user": "u",
        "password": "p",
        "folder": "INBOX",
    }
    ChannelState.objects.create(source="email", last_error_at=timezone.now(), last_error="down")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["channels"]["email"]["last_error"] == "down"
