"""What /healthz checks: the database, the broker, and the outbox backlog."""

from __future__ import annotations

import redis
from django.conf import settings
from django.db import connection

from outbox.services import backlog

BROKER_TIMEOUT = 1.0  # seconds: a health probe must answer quickly


def database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # any failure to reach it means the same here
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
    return {"ok": True}


def broker() -> dict:
    if not settings.REDIS_URL:
        return {"ok": True, "mode": "eager"}
    try:
        redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=BROKER_TIMEOUT, socket_timeout=BROKER_TIMEOUT
        ).ping()
    except Exception as exc:
        return {"ok": False, "mode": "redis", "error": f"{type(exc).__name__}: {exc}"[:300]}
    return {"ok": True, "mode": "redis"}


def outbox() -> dict:
    try:
        pending = backlog()
    except Exception as exc:
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
    age = pending.oldest_age_seconds
    return {
        "ok": age <= settings.OUTBOX_BACKLOG_MAX_AGE,
        "undelivered": pending.undelivered,
        "oldest_age_seconds": age,
        "max_age_seconds": settings.OUTBOX_BACKLOG_MAX_AGE,
    }


def channels() -> dict:
    from inbox.status import health

    try:
        return health()
    except Exception as exc:
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}


def report() -> dict:
    checks = {"database": database()}
    checks["broker"] = broker()
    no_database = {"ok": False, "error": "no database"}
    checks["outbox"] = outbox() if checks["database"]["ok"] else no_database
    checks["channels"] = channels() if checks["database"]["ok"] else no_database
    return checks
