import subprocess
import sys
from pathlib import Path

import pytest

from supportdesk.env import EnvError, env_bool, env_database, env_redis_url

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("value", ["maybe", "2", "yes please"])
def test_debug_that_is_not_a_boolean_names_the_variable(monkeypatch, value):
    monkeypatch.setenv("DEBUG", value)
    with pytest.raises(EnvError, match="^DEBUG: "):
        env_bool("DEBUG")


@pytest.mark.parametrize(
    "value,expected", [("1", True), ("true", True), ("off", False), ("", False)]
)
def test_debug_booleans(monkeypatch, value, expected):
    monkeypatch.setenv("DEBUG", value)
    assert env_bool("DEBUG") is expected


@pytest.mark.parametrize(
    "value", ["not a url", "postgres//missing-colon", "ftp://", "postgres://host:5432"]
)
def test_malformed_database_url_names_the_variable(monkeypatch, value):
    monkeypatch.setenv("DATABASE_URL", value)
    with pytest.raises(EnvError, match="^DATABASE_URL: "):
        env_database("DATABASE_URL", "/tmp/x.sqlite3")


def test_database_defaults_to_a_sqlite_file(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = env_database("DATABASE_URL", "/tmp/x.sqlite3")
    assert config == {"ENGINE": "django.db.backends.sqlite3", "NAME": "/tmp/x.sqlite3"}


def test_postgres_url_is_parsed(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
    config = env_database("DATABASE_URL", "/tmp/x.sqlite3")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("127.0.0.1", 5432, "test")


@pytest.mark.parametrize(
    "value", ["localhost:6379", "http://127.0.0.1:6379", "redis://127.0.0.1:port"]
)
def test_malformed_redis_url_names_the_variable(monkeypatch, value):
    monkeypatch.setenv("REDIS_URL", value)
    with pytest.raises(EnvError, match="^REDIS_URL: "):
        env_redis_url("REDIS_URL")


def test_unset_redis_means_eager_celery(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    assert env_redis_url("REDIS_URL") == ""


def _manage_check(**env):
    base = {"PATH": "/usr/bin:/bin", "SECRET_KEY": "x"}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "env,variable",
    [
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"DATABASE_URL": "nonsense"}, "DATABASE_URL"),
        ({"REDIS_URL": "localhost"}, "REDIS_URL"),
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
    ],
)
def test_start_up_stops_with_one_line_naming_the_variable(env, variable):
    result = _manage_check(**env)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"configuration error: {variable}: ")


def test_production_mail_needs_site_url():
    result = _manage_check(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend")
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "configuration error: SITE_URL: must be set when DEBUG is off and mail is sent "
        "(the links in mails point to it)"
    ]
    given = _manage_check(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        SITE_URL="https://desk.example.edu.cn",
    )
    assert given.returncode == 0, given.stderr


def test_make_run_links_mails_to_the_host_it_serves():
    # The recipe make would run, printed rather than run (-n).
    result = subprocess.run(
        ["make", "-n", "run", "HOST=10.0.0.5:9000"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    runserver = [line for line in result.stdout.splitlines() if "runserver" in line]
    assert runserver and "http://10.0.0.5:9000" in runserver[0], result.stdout
