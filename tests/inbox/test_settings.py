"""The channels' settings: parsed or refused at start-up, off until given."""

import subprocess
import sys
from pathlib import Path

import pytest

from supportdesk.env import EnvError, env_imap_url, env_wecom_aes_key

ROOT = Path(__file__).resolve().parents[2]


def test_imap_url_unset_means_the_mail_channel_is_off(monkeypatch):
    monkeypatch.delenv("IMAP_URL", raising=False)
    assert env_imap_url("IMAP_URL") is None


@pytest.mark.parametrize(
    "url,expected",
    [
        (
            "imaps://iservice%40uestc.edu.cn:p%40ss@mail.uestc.edu.cn/INBOX",
            ("imaps", "mail.uestc.edu.cn", 993, "iservice@uestc.edu.cn", "p@ss", "INBOX"),
        ),
        (
            "imap+starttls://desk:pw@127.0.0.1:1143/",
            ("imap+starttls", "127.0.0.1", 1143, "desk", "pw", "INBOX"),
        ),
        ("imap://desk:pw@lab/Support", ("imap", "lab", 143, "desk", "pw", "Support")),
    ],
)
def test_imap_urls(monkeypatch, url, expected):
    monkeypatch.setenv("IMAP_URL", url)
    config = env_imap_url("IMAP_URL")
    keys = ("security", "host", "port", "user", "password", "folder")
    assert tuple(config[k] for k in keys) == expected


@pytest.mark.parametrize(
    "url", ["pop3://a:b@host/", "imaps://host/INBOX", "imaps://user@host/", "imaps://a:b@host:x/"]
)
def test_bad_imap_url_names_the_variable(monkeypatch, url):
    monkeypatch.setenv("IMAP_URL", url)
    with pytest.raises(EnvError, match="^IMAP_URL: "):
        env_imap_url("IMAP_URL")


@pytest.mark.parametrize("key", ["short", "!" * 43, "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2"])
def test_bad_wecom_aes_key_names_the_variable(monkeypatch, key):
    monkeypatch.setenv("WECOM_AES_KEY", key)
    with pytest.raises(EnvError, match="^WECOM_AES_KEY: "):
        env_wecom_aes_key("WECOM_AES_KEY")


def _beat_schedule(**env):
    code = (
        "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'supportdesk.settings');"
        "from django.conf import settings; print(sorted(settings.CELERY_BEAT_SCHEDULE))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "SECRET_KEY": "x", **env},
        check=True,
    )
    return result.stdout


def test_beat_fetches_mail_only_when_redis_and_imap_are_configured():
    imap = "imaps://a:b@mail.example.com/INBOX"
    assert "fetch-mail" in _beat_schedule(IMAP_URL=imap, REDIS_URL="redis://127.0.0.1:6379/0")
    assert "fetch-mail" not in _beat_schedule(IMAP_URL=imap)
    assert "fetch-mail" not in _beat_schedule(REDIS_URL="redis://127.0.0.1:6379/0")


def test_the_periodic_fetch_does_nothing_while_another_runs(settings, monkeypatch):
    from django.core.cache import cache

    from inbox import tasks

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "lock"}
    }

    calls = []
    monkeypatch.setattr(tasks, "fetch", lambda: calls.append(1))
    cache.set("inbox:fetch-mail", 1, timeout=60)
    try:
        tasks.fetch_mail()
        assert calls == []
    finally:
        cache.delete("inbox:fetch-mail")
    tasks.fetch_mail()
    assert calls == [1]
