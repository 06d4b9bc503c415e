"""The Monday path end to end: a real `celery -A supportdesk worker` against the
real Redis takes the weekly task off the queue and stores the reports.

The worker is another process, so it must see a database the test can see:
  * on PostgreSQL, the test database itself, with committed data
    (transaction=True) instead of the usual rolled-back transaction;
  * on SQLite the test database lives in memory, so the test prepares a file
    database of its own (migrate + bench/make_tickets.py) and reads the result
    back with the sqlite3 module.
Redis: its own db number (REPORTS_WORKER_REDIS_DB, default 13) on the server of
REDIS_URL, and a queue of its own, named for this run: several runs at once
(pytest -n, other checkouts on the machine) share the server, and a worker of
another run must not take this run's task. Skipped naming Redis when it is
unreachable; failing instead under SUPPORTDESK_REQUIRE_SERVICES=1.
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest
from celery import Celery
from django.db import connection

from reports.periods import iso_week, last_week
from tests.services import REDIS_TEST_URL, require_redis

ROOT = Path(__file__).resolve().parents[2]
TASK = "reports.tasks.build_last_week_reports"
TIMEOUT = 120


def own_redis_db(url: str) -> str:
    parts = urlparse(url)
    return urlunparse(parts._replace(path="/" + os.environ.get("REPORTS_WORKER_REDIS_DB", "13")))


def run(args, env, timeout=180):
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{args}: {done.stdout[-2000:]} {done.stderr[-2000:]}"
    return done


def start_worker(env, log_path, queue):
    log = open(log_path, "w")  # noqa: SIM115 -- closed by stop_worker
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "supportdesk",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "INFO",
            "-Q",
            queue,
            "-n",
            f"{queue}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    process.log = log
    return process


def stop_worker(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)  # warm shutdown of this worker's group only
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    process.log.close()


def enqueue_twice(redis_url, week, queue):
    # Not the current app: tasks defined later in this process must still bind
    # to the project's app.
    client = Celery(
        "reports-test-client", broker=redis_url, backend=redis_url, set_as_current=False
    )
    try:
        results = [client.send_task(TASK, kwargs={"week": week}, queue=queue) for _ in range(2)]
        return [r.get(timeout=TIMEOUT) for r in results]
    finally:
        client.close()


def worker_env(redis_url, database_url):
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    env.update(
        REDIS_URL=redis_url,
        DATABASE_URL=database_url,
        SECRET_KEY="worker-test-key",
        DJANGO_SETTINGS_MODULE="supportdesk.settings",
        REPORT_RECIPIENTS="",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        PYTHONPATH=str(ROOT),
    )
    return env


@pytest.fixture
def redis_url():
    return own_redis_db(require_redis(REDIS_TEST_URL))


@pytest.fixture
def queue(redis_url):
    name = f"reports-test-{uuid.uuid4().hex}"
    yield name
    import redis

    redis.Redis.from_url(redis_url).delete(name)


# Committed data for the worker to see; the flush afterwards must not take the
# seeded colleges and categories away from the tests that follow.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_on_redis_stores_each_report_once(redis_url, queue, tmp_path, request):
    from tickets.models import College

    colleges = College.objects.count()
    if connection.vendor == "postgresql":
        request.getfixturevalue("week47")
        db = connection.settings_dict
        host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
        database_url = f"postgres://{db['USER']}@{host}:{port}/{db['NAME']}"
        if db.get("PASSWORD"):
            database_url = database_url.replace("@", f":{db['PASSWORD']}@", 1)
        week = "2026-W47"
        expected_new = 5
    else:
        database_url = f"sqlite:///{tmp_path / 'worker.sqlite3'}"
        env = worker_env(redis_url, database_url)
        run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], env)
        run([sys.executable, "bench/make_tickets.py", "--count", "400", "--weeks", "3"], env)
        week = last_week().iso_week
        expected_new = None

    worker = start_worker(worker_env(redis_url, database_url), tmp_path / "worker.log", queue)
    try:
        results = enqueue_twice(redis_url, week, queue)
    finally:
        stop_worker(worker)
    log = (tmp_path / "worker.log").read_text()
    assert f"Task {TASK}" in log and "succeeded" in log, log[-3000:]
    assert [r["week"] for r in results] == [week, week]
    assert results[0]["reports"] == 1 + colleges

    monday = iso_week(week).first_day
    if connection.vendor == "postgresql":
        from reports.models import WeeklyReport

        rows = WeeklyReport.objects.filter(week_start=monday)
        assert rows.count() == 1 + colleges  # twice enqueued, once stored
        university = rows.get(college=None).data
        assert university["totals"]["new"] == expected_new
        assert rows.get(college__code="sice").data["totals"]["new"] == 2
    else:
        with sqlite3.connect(tmp_path / "worker.sqlite3") as db:
            (count,) = db.execute(
                "SELECT COUNT(*) FROM reports_weeklyreport WHERE week_start = ?",
                [monday.isoformat()],
            ).fetchone()
            (data,) = db.execute(
                "SELECT data FROM reports_weeklyreport WHERE week_start = ? AND college_id IS NULL",
                [monday.isoformat()],
            ).fetchone()
        assert count == 1 + colleges
        university = json.loads(data)
        assert university["totals"]["new"] > 0
        assert sum(r["count"] for r in university["by_college"]) == university["totals"]["new"]
