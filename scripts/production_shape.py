"""CI step: production's shape on PostgreSQL and Redis, driven over HTTP, and
escalations mailed through the outbox while the broker is down.

    .venv/bin/python scripts/production_shape.py [--escalations N]

`scripts/serve.sh` (what `make serve` runs: gunicorn with 2 workers, a Celery
worker and beat) over a throwaway PostgreSQL database (created and dropped on
127.0.0.1:5432, or POSTGRES_URL's server), a private redis-server on a free
port (never the shared 6379) and an SMTP sink in this process. It signs in and
reads the ticket list page, creates tickets over the API, escalates one with
the broker up, then stops Redis, escalates N more (each request must answer
200 within MAX_SECONDS), starts Redis again and checks that every escalation
mail reached the SMTP sink exactly once. Exits non-zero, naming what went
wrong, on a 500, a slow answer, or a mail lost or doubled.

Prints one JSON line of figures (bench/hardening.py reads it).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from livestack import PrivateRedis, SMTPSink, Stack, wait_until  # noqa: E402

MAX_SECONDS = 5.0  # an escalation answers within this, broker or no broker
MAIL_WAIT = 45.0  # for the mails to arrive once Redis is back


class Failed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failed(message)


class Database:
    """A PostgreSQL database of this run only."""

    def __init__(self):
        server = os.environ.get("POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
        self.server = urlsplit(server)
        self.name = f"shape_{uuid.uuid4().hex[:10]}"
        self.url = f"{server.rstrip('/')}/{self.name}"

    def _psql(self, sql):
        subprocess.run(
            ["psql", "-h", self.server.hostname or "127.0.0.1", "-p", str(self.server.port or 5432)]
            + ["-U", self.server.username or "postgres", "-d", "postgres", "-qc", sql],
            check=True,
            capture_output=True,
        )

    def __enter__(self):
        self._psql(f'CREATE DATABASE "{self.name}"')
        return self

    def __exit__(self, *exc):
        self._psql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def run(escalations: int) -> dict:
    import requests

    figures: dict = {"escalations_during_outage": escalations}
    sink = SMTPSink().start()
    try:
        with Database() as database, Stack(database_url=database.url) as stack:
            redis = PrivateRedis(stack.dir)
            stack.env.update(
                {
                    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                    "EMAIL_HOST": "127.0.0.1",
                    "EMAIL_PORT": str(sink.port),
                    "EMAIL_TIMEOUT": "5",
                    "INFO_CENTER_EMAIL": "iservice@example.edu.cn",
                    "OUTBOX_RETRY_SECONDS": "1",
                    "OUTBOX_RETRY_MAX_SECONDS": "3",
                    "OUTBOX_RELAY_EVERY": "2",
                    "TRIAGE_RETRAIN_ON_CORRECTION": "0",
                    "LOG_LEVEL": "INFO",
                }
            )
            stack.prepare(demo=False)  # before REDIS_URL is set: eager, no broker yet
            token = stack.token("desk")
            redis.start()
            stack.env["REDIS_URL"] = redis.url
            stack.serve()
            try:
                figures.update(_drive(stack, redis, sink, token, escalations, requests))
            finally:
                redis.stop()
                figures["logs"] = str(stack.dir)
    finally:
        sink.stop()
    return figures


def _drive(stack, redis, sink, token, escalations, requests) -> dict:
    base = stack.base
    api = requests.Session()
    api.headers["Authorization"] = f"Token {token}"

    # A page, as a person reads it: sign in through the form, then the list.
    browser = requests.Session()
    login = browser.get(f"{base}/accounts/login/", timeout=10)
    check(login.status_code == 200, f"login page answered {login.status_code}")
    signed_in = browser.post(
        f"{base}/accounts/login/",
        data={
            "username": "desk",
            "password": "demo-2026",
            "csrfmiddlewaretoken": browser.cookies["csrftoken"],
        },
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=10,
    )
    listing = browser.get(f"{base}/tickets/", timeout=10)
    check(
        signed_in.status_code == 200 and listing.status_code == 200 and "<table" in listing.text,
        f"signing in and reading /tickets/ answered {signed_in.status_code}/{listing.status_code}",
    )
    check(api.get(f"{base}/healthz", timeout=10).status_code == 200, "/healthz not 200 at start")

    def create(i):
        response = api.post(
            f"{base}/api/tickets/",
            json={"text": f"企业微信第三步收不到验证码（{i}）", "channel": "wechat"},
            timeout=10,
        )
        check(response.status_code == 201, f"POST /api/tickets/ answered {response.status_code}")
        return response.json()["id"]

    def escalate(ticket_id):
        started = time.monotonic()
        response = api.post(
            f"{base}/api/tickets/{ticket_id}/actions/",
            json={"action": "escalate", "tried": "已按指南重发验证码"},
            timeout=30,
        )
        seconds = time.monotonic() - started
        check(
            response.status_code == 200,
            f"escalating #{ticket_id} answered {response.status_code}: {response.text[:300]}",
        )
        return seconds

    # With the broker up: one escalation, mailed.
    first = create(0)
    escalate(first)
    wait_until(lambda: _mailed(sink).get(first), 30, f"the escalation mail of #{first}")

    # The outage: the broker and, in the second half, the mail server too, so
    # those mails can only arrive through the relay (beat -> worker) once both
    # are back.
    tickets = [create(i) for i in range(1, escalations + 1)]
    redis.stop()
    health = api.get(f"{base}/healthz", timeout=10).status_code
    half = len(tickets) // 2
    latencies = [escalate(t) for t in tickets[:half]]
    sink.stop()
    latencies += [escalate(t) for t in tickets[half:]]
    slowest = max(latencies)
    check(slowest <= MAX_SECONDS, f"an escalation took {slowest:.1f} s with Redis down")
    time.sleep(1)  # the on-commit deliveries of the mail-server outage fail meanwhile
    before_recovery = sum(1 for t in tickets if _mailed(sink).get(t))
    sink.start()
    redis.start()
    outage_ended = time.monotonic()
    wait_until(
        lambda: all(_mailed(sink).get(t) for t in tickets), MAIL_WAIT, "every escalation mail"
    )
    recovered_in = time.monotonic() - outage_ended
    time.sleep(OUTBOX_SETTLE)  # a doubled delivery would land within the relay's next rounds
    mailed = _mailed(sink)
    lost = [t for t in [first, *tickets] if mailed.get(t, 0) == 0]
    doubled = {t: n for t, n in mailed.items() if n > 1}
    check(not lost, f"escalation mails lost: {lost}")
    check(not doubled, f"escalation mails sent more than once: {doubled}")
    check(api.get(f"{base}/healthz", timeout=10).status_code == 200, "/healthz not 200 at the end")
    return {
        "healthz_during_outage": health,
        "max_latency_s": round(slowest, 3),
        "median_latency_s": round(sorted(latencies)[len(latencies) // 2], 3),
        "mailed_before_recovery": before_recovery,
        "mailed_after_recovery": escalations - before_recovery,
        "all_mailed_within_s": round(recovered_in, 1),
        "mails_per_escalation": sorted(set(mailed[t] for t in tickets)),
        "lost": len(lost),
        "doubled": len(doubled),
    }


OUTBOX_SETTLE = 6.0
ESCALATION = re.compile(r"工单 #(\d+) 升级")


def _mailed(sink) -> Counter:
    """How many escalation mails reached the sink, per ticket id."""
    return Counter(int(m.group(1)) for s in sink.subjects() if (m := ESCALATION.search(s)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--escalations", type=int, default=10)
    args = parser.parse_args()
    started = time.monotonic()
    try:
        figures = run(args.escalations)
    except Failed as error:
        print(f"production shape: FAILED: {error}", file=sys.stderr)
        return 1
    figures["seconds"] = round(time.monotonic() - started, 1)
    print(json.dumps(figures, ensure_ascii=False))
    print(
        f"production shape: {args.escalations + 1} escalations mailed exactly once "
        f"(slowest answer with Redis down {figures['max_latency_s']} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
