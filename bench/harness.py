"""What the page benchmarks share: Django set up against an explicit bench
database, a logged-in superuser client, and timing of repeated requests
through Django's full stack (test Client) with their SQL queries."""

import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def setup_django() -> None:
    """Django on the database of DATABASE_URL; refuses the desk's own database."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supportdesk.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-key")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    os.environ.pop("REDIS_URL", None)  # mail/learning tasks inline; nothing is queued
    if not os.environ.get("DATABASE_URL"):
        # The benchmarks write a user (and some tickets): never into the desk's database.
        raise SystemExit("set DATABASE_URL to a benchmark database (see the docstring)")
    import django

    django.setup()


def superuser_client(username: str):
    """(client logged in as superuser `username`, that user), created if absent."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    user, _ = get_user_model().objects.get_or_create(
        username=username, defaults={"is_superuser": True, "is_staff": True}
    )
    client = Client()
    client.force_login(user)
    return client, user


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


@dataclass
class Timing:
    times_ms: list[float]
    cpu_ms: list[float]
    query_counts: list[int]
    last_queries: list[dict]  # the SQL of the last measured request

    @property
    def median(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def p95(self) -> float:
        return percentile(self.times_ms, 0.95)

    @property
    def queries(self) -> str:
        low, high = min(self.query_counts), max(self.query_counts)
        return str(low) if low == high else f"{low}-{high}"


def time_requests(label: str, call, *, repeat: int, warmup: int) -> Timing:
    """Runs `call()` (one request) `warmup` times unmeasured, then `repeat` times
    measured; a response that is not a success (2xx) stops the benchmark."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def checked(response):
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if not 200 <= response.status_code < 300:
            raise SystemExit(f"{label}: HTTP {response.status_code}\n{body[:500]!r}")

    for _ in range(warmup):
        checked(call())
    timing = Timing([], [], [], [])
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            start, start_cpu = time.perf_counter(), time.process_time()
            response = call()
            checked(response)
            timing.times_ms.append((time.perf_counter() - start) * 1000)
            timing.cpu_ms.append((time.process_time() - start_cpu) * 1000)
        timing.query_counts.append(len(captured))
        timing.last_queries = captured.captured_queries
    return timing
