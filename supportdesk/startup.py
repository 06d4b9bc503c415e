"""Before serving: the database and the broker answer, or start-up stops with
one line naming the variable to fix (gunicorn.conf.py, `manage.py`)."""

import redis
from django.conf import settings
from django.db import connection

from supportdesk.env import EnvError

TIMEOUT = 3  # seconds


def check_database() -> None:
    try:
        connection.ensure_connection()
    except Exception as exc:  # any failure to reach it means the same here
        problem = f"cannot connect to the database ({_first_line(exc)})"
        raise EnvError("DATABASE_URL", problem) from None


def check_broker() -> None:
    if not settings.REDIS_URL:
        return
    try:
        redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=TIMEOUT, socket_timeout=TIMEOUT
        ).ping()
    except Exception as exc:
        raise EnvError("REDIS_URL", f"cannot reach Redis ({_first_line(exc)})") from None


def check_services() -> None:
    check_database()
    check_broker()


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"
