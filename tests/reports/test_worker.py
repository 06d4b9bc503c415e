"""The Monday path end to end: a real `celery -A supportdesk worker` against a
redis-server takes the weekly task off the queue and stores the reports.

The worker is another process, so it must see a database the test can see:
  * on PostgreSQL, the test database itself, with committed data
    (transaction=True) instead of the usual rolled-back transaction;
  * on SQLite the test database lives in memory, so the test copies it, with
    the same committed data, into a file (sqlite3's backup: no migrate in a
    subprocess) and reads the result back with the sqlite3 module.
Redis: a redis-server of the test's own on a free port (tests.services.PrivateRedis),
never the machine's shared server: several runs at once (pytest -n, other
checkouts on the machine) must not see each other's queues or results, and a
worker of another run must not take this run's task. Skipped naming
redis-server when it is missing; failing instead under
SUPPORTDESK_REQUIRE_SERVICES=1.
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection

from reports.periods import iso_week
from tests.services import PrivateRedis

ROOT = Path(__file__).resolve().parents[2]
TASK = "reports.tasks.build_last_week_reports"
TIMEOUT = 120


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
def redis_url(tmp_path):
    server = PrivateRedis(tmp_path).start()
    yield server.url
    server.stop()


QUEUE = "reports-worker-test"  # any name: the server is this test's alone


def stored_reports(sqlite_file, monday) -> dict:
    """{college code or None: report data} stored for the week starting `monday`."""
    if sqlite_file is None:
        from reports.models import WeeklyReport

        rows = WeeklyReport.objects.filter(week_start=monday).values_list("college__code", "data")
        found = list(rows)
    else:
        with sqlite3.connect(sqlite_file) as db:
            found = [
                (code, json.loads(data))
                for code, data in db.execute(
                    "SELECT c.code, r.data FROM reports_weeklyreport r"
                    " LEFT JOIN tickets_college c ON c.id = r.college_id WHERE r.week_start = ?",
                    [monday.isoformat()],
                )
            ]
    reports = dict(found)
    assert len(reports) == len(found)  # twice enqueued, once stored
    return reports


# Committed data for the worker to see; the flush afterwards must not take the
# seeded colleges and categories away from the tests that follow.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_on_redis_stores_each_report_once(redis_url, tmp_path, week47):
    from tickets.models import College

    colleges = College.objects.count()
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
        database_url = f"postgres://{db['USER']}@{host}:{port}/{db['NAME']}"
        if db.get("PASSWORD"):
            database_url = database_url.replace("@", f":{db['PASSWORD']}@", 1)
        sqlite_file = None
    else:
        sqlite_file = tmp_path / "worker.sqlite3"
        with sqlite3.connect(sqlite_file) as target:
            connection.connection.backup(target)
        target.close()
        database_url = f"sqlite:///{sqlite_file}"
    week = "2026-W47"

    worker = start_worker(worker_env(redis_url, database_url), tmp_path / "worker.log", QUEUE)
    try:
        results = enqueue_twice(redis_url, week, QUEUE)
    finally:
        stop_worker(worker)
    log = (tmp_path / "worker.log").read_text()
    assert f"Task {TASK}" in log and "succeeded" in log, log[-3000:]
    assert [r["week"] for r in results] == [week, week]
    assert results[0]["reports"] == 1 + colleges

    reports = stored_reports(sqlite_file, iso_week(week).first_day)
    assert len(reports) == 1 + colleges
    university = reports[None]
    assert university["totals"]["new"] == 5  # week47's hand count
    assert reports["sice"]["totals"]["new"] == 2
    assert sum(r["count"] for r in university["by_college"]) == university["totals"]["new"]
