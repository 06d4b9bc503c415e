"""Local and production start (issue 12, item 8): .env read by settings,
`make run` writes it, start-up names DATABASE_URL / REDIS_URL when unreachable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from supportdesk import env
from tests.services import free_port

ROOT = Path(__file__).resolve().parents[2]


def _clean_env(**extra):
    drop = {"DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "SUPPORTDESK_ENV_FILE"}
    base = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("PYTEST")}
    return {**base, **extra}


def test_values_come_from_the_env_file_and_the_environment_wins(tmp_path, monkeypatch):
    path = tmp_path / ".env"
    path.write_text('# local\nexport LOG_LEVEL="DEBUG"\nEMAIL_PORT=2525\nAXES_X=1\n')
    monkeypatch.setenv("EMAIL_PORT", "25")
    env.load_env_file(path)
    try:
        assert env.env_str("LOG_LEVEL") == "DEBUG"
        assert env.env_int("EMAIL_PORT", 0) == 25
        assert env.env_bool("AXES_X") is True
    finally:
        env.load_env_file("")


@pytest.mark.parametrize("raw", ["abc", "0", "-1", "nan", "inf"])
def test_a_threshold_that_is_not_a_positive_number_is_named(monkeypatch, raw):
    monkeypatch.setenv("TRIAGE_REVIEW_BELOW", raw)
    with pytest.raises(env.EnvError, match="TRIAGE_REVIEW_BELOW"):
        env.env_float("TRIAGE_REVIEW_BELOW")


@pytest.mark.parametrize("raw", ["1.5", "80"])
def test_a_review_threshold_above_certainty_is_named(monkeypatch, raw):
    # a confidence is at most 1: above it every suggestion would be flagged,
    # and the thresholds row would refuse the value only when first written
    monkeypatch.setenv("TRIAGE_REVIEW_BELOW", raw)
    with pytest.raises(env.EnvError, match="TRIAGE_REVIEW_BELOW.*no greater than 1"):
        env.env_float("TRIAGE_REVIEW_BELOW", at_most=1.0)


def test_an_unset_or_empty_threshold_leaves_the_default(monkeypatch):
    monkeypatch.delenv("TRIAGE_REVIEW_BELOW", raising=False)
    assert env.env_float("TRIAGE_REVIEW_BELOW") is None
    monkeypatch.setenv("TRIAGE_REVIEW_BELOW", " ")
    assert env.env_float("TRIAGE_REVIEW_BELOW") is None
    monkeypatch.setenv("TRIAGE_REVIEW_BELOW", "0.8")
    assert env.env_float("TRIAGE_REVIEW_BELOW") == 0.8


def test_make_run_writes_a_env_file_once(tmp_path):
    path = tmp_path / ".env"
    subprocess.run([sys.executable, "scripts/make_env.py", str(path)], cwd=ROOT, check=True)
    first = path.read_text()
    assert "DEBUG=1" in first and len(first.split("SECRET_KEY=")[1].strip()) >= 50
    subprocess.run([sys.executable, "scripts/make_env.py", str(path)], cwd=ROOT, check=True)
    assert path.read_text() == first


def test_readme_commands_work_without_debug_typed_once_env_exists(tmp_path):
    path = tmp_path / ".env"
    subprocess.run([sys.executable, "scripts/make_env.py", str(path)], cwd=ROOT, check=True)
    done = subprocess.run(
        [sys.executable, "manage.py", "triage", "企微第三步验证码收不到"],
        cwd=ROOT,
        env=_clean_env(
            SUPPORTDESK_ENV_FILE=str(path), DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}"
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "SECRET_KEY" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stderr[-2000:]


def test_a_database_that_refuses_connections_is_named_in_one_line(tmp_path):
    done = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--check"],
        cwd=ROOT,
        env=_clean_env(
            SECRET_KEY="x" * 60, DATABASE_URL=f"postgres://u@127.0.0.1:{free_port()}/db"
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "DATABASE_URL" in done.stderr and len(done.stderr.strip().splitlines()) <= 3


@pytest.mark.parametrize("variable", ["DATABASE_URL", "REDIS_URL"])
def test_gunicorn_refuses_to_start_without_its_services(tmp_path, variable):
    gunicorn = Path(sys.executable).parent / "gunicorn"
    extra = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": "",
    }
    extra[variable] = (
        f"postgres://u@127.0.0.1:{free_port()}/db"
        if variable == "DATABASE_URL"
        else f"redis://127.0.0.1:{free_port()}/0"
    )
    done = subprocess.run(
        [str(gunicorn), "-c", "gunicorn.conf.py", "supportdesk.wsgi"],
        cwd=ROOT,
        env=_clean_env(
            SECRET_KEY="x" * 60,
            SUPPORTDESK_HTTPS="0",
            ALLOWED_HOSTS="localhost",
            HOST=f"127.0.0.1:{free_port()}",
            **extra,
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert f"configuration error: {variable}" in done.stderr
