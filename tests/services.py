"""Reach the real PostgreSQL and Redis, or skip naming the missing service.

Under SUPPORTDESK_REQUIRE_SERVICES=1 (set by .ci/run) an unreachable service
fails the test instead of skipping it.
"""

import os

import pytest

REDIS_TEST_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"


def services_required() -> bool:
    return os.environ.get("SUPPORTDESK_REQUIRE_SERVICES") == "1"


def unavailable(service: str, detail: str):
    message = f"{service} unreachable: {detail}"
    if services_required():
        pytest.fail(f"{message} (SUPPORTDESK_REQUIRE_SERVICES=1)")
    pytest.skip(message)


def require_redis(url: str = REDIS_TEST_URL) -> str:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception as exc:  # any failure to reach it means the same here
        unavailable(f"Redis at {url}", str(exc))
    return url


def require_postgres():
    """For tests marked `postgres`: the suite's own database must be PostgreSQL."""
    from django.db import connection

    if connection.vendor != "postgresql":
        unavailable("PostgreSQL", "DATABASE_URL does not point at PostgreSQL")
