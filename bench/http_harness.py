"""What the HTTP benchmarks share: a real gunicorn serving the desk over
loopback (DEBUG off, the database of DATABASE_URL), a desk user whose default
view is full, and a keep-alive HTTP client that logs in like a browser.

Per request it records wall time (the client's), and from the worker
(bench/cpu_wsgi.py) CPU time and SQL queries; `worker_cpu_seconds` reads a
worker's CPU counters in /proc for whole runs (exports)."""

import http.client
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
BENCH_USER, BENCH_PASSWORD = "bench_desk", "bench-desk-password-2026"
OPEN_TICKETS = 60  # the bench user's default view (my open tickets) is a full page


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supportdesk.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-key")
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit("set DATABASE_URL to a benchmark database (never the desk's own)")
    import django

    django.setup()


def bench_user(username=BENCH_USER):
    """The desk user (group desk, not a superuser) with OPEN_TICKETS open tickets
    assigned, and an API token. Returns (user, token key). Another `username`
    is another desk member of the same kind (the load test's clients)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from rest_framework.authtoken.models import Token

    from tickets import roles
    from tickets.models import OPEN_STATUSES, Ticket

    user, _ = get_user_model().objects.get_or_create(username=username)
    # A new hash would sign out every session of a bench already running
    # against the same database (its pages then answered 302 to the login).
    if not user.check_password(BENCH_PASSWORD) or user.is_staff or user.is_superuser:
        user.set_password(BENCH_PASSWORD)
        user.is_staff = False
        user.is_superuser = False
        user.save()
    user.groups.add(Group.objects.get(name=roles.DESK))
    mine = Ticket.objects.filter(assignee=user, status__in=OPEN_STATUSES).count()
    if mine < OPEN_TICKETS:
        ids = list(
            Ticket.objects.filter(status__in=OPEN_STATUSES, assignee__isnull=True)
            .order_by("-created_at")
            .values_list("pk", flat=True)[: OPEN_TICKETS - mine]
        )
        Ticket.objects.filter(pk__in=ids).update(assignee=user)
    token, _ = Token.objects.get_or_create(user=user)
    return user, token.key


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """`gunicorn bench.cpu_wsgi:application` with `workers` sync workers."""

    def __init__(
        self, workers=1, *, app="bench.cpu_wsgi:application", cwd=ROOT, env=None, gunicorn=None
    ):
        self.port = free_port()
        self.workers = workers
        self.app, self.cwd = app, cwd
        self.gunicorn = gunicorn or Path(sys.executable).with_name("gunicorn")
        self.env = {
            **os.environ,
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SUPPORTDESK_HTTPS": "0",  # plain HTTP over loopback
            "PYTHONPATH": str(cwd),
            **(env or {}),
        }
        self.env.pop("REDIS_URL", None)

    def __enter__(self):
        gunicorn = self.gunicorn
        if self.app.startswith("bench."):  # DEBUG off serves hashed files: collect them
            subprocess.run(
                [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                cwd=self.cwd,
                env=self.env,
                check=True,
            )
        (ROOT / "bench" / "out").mkdir(exist_ok=True)
        self.log = open(ROOT / "bench" / "out" / f"gunicorn-{self.port}.log", "w")
        self.proc = subprocess.Popen(
            [
                str(gunicorn),
                self.app,
                "-w",
                str(self.workers),
                "-b",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "300",
                "--access-logfile",
                "-",
            ],
            cwd=self.cwd,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/accounts/login/")
                conn.getresponse().read()
                if len(self.worker_pids()) == self.workers:
                    return self
            except OSError:
                pass
            if self.proc.poll() is not None:
                raise SystemExit(f"gunicorn exited; see {self.log.name}")
            time.sleep(0.3)
        raise SystemExit(f"gunicorn did not answer within 60 s; see {self.log.name}")

    def __exit__(self, *exc):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=30)
        self.log.close()

    def worker_pids(self):
        try:
            text = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
        except OSError:
            return []
        return [int(p) for p in text.split()]


def process_cpu_seconds(pids):
    """worker_cpu_seconds of processes that may have ended meanwhile (counted as 0)."""
    total = 0.0
    for pid in pids:
        try:
            total += worker_cpu_seconds([pid])
        except OSError:
            pass
    return total


def worker_cpu_seconds(pids):
    """User + system CPU seconds of these processes so far (/proc/<pid>/stat)."""
    hz = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / hz


@dataclass
class Reply:
    status: int
    body: bytes
    headers: dict
    wall_ms: float

    @property
    def cpu_ms(self):
        value = self.headers.get("x-worker-cpu-us")
        return None if value is None else int(value) / 1000

    @property
    def queries(self):
        value = self.headers.get("x-queries")
        return None if value is None else int(value)


class Client:
    """One browser: keep-alive connection, cookies, CSRF like a form post."""

    def __init__(self, port, host="127.0.0.1"):
        self.host, self.port = host, port
        self.cookies = {}
        self.conn = http.client.HTTPConnection(host, port, timeout=300)

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        start = time.perf_counter()
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                if attempt == 2:
                    raise
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=300)
        wall = (time.perf_counter() - start) * 1000
        for value in response.headers.get_all("Set-Cookie") or []:
            for key, morsel in SimpleCookie(value).items():
                self.cookies[key] = morsel.value
        return Reply(response.status, data, {k.lower(): v for k, v in response.getheaders()}, wall)

    def get(self, path, params=None):
        return self.request("GET", path + ("?" + urlencode(params) if params else ""))

    def login(self, username=BENCH_USER, password=BENCH_PASSWORD, path="/accounts/login/"):
        page = self.get(path).body.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        reply = self.request(
            "POST",
            path,
            body=urlencode(
                {"username": username, "password": password, "csrfmiddlewaretoken": token}
            ),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://{self.host}:{self.port}{path}",
            },
        )
        if reply.status != 302:
            raise SystemExit(f"login as {username} failed: HTTP {reply.status}")
        return self


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


@dataclass
class Series:
    label: str
    wall_ms: list = field(default_factory=list)
    cpu_ms: list = field(default_factory=list)
    queries: list = field(default_factory=list)

    def add(self, reply: Reply):
        if not 200 <= reply.status < 400:  # the home page is a redirect to the list
            raise SystemExit(f"{self.label}: HTTP {reply.status}\n{reply.body[:500]!r}")
        self.wall_ms.append(reply.wall_ms)
        if reply.cpu_ms is not None:
            self.cpu_ms.append(reply.cpu_ms)
        if reply.queries is not None:
            self.queries.append(reply.queries)

    @property
    def median(self):
        return statistics.median(self.wall_ms)

    @property
    def p95(self):
        return percentile(self.wall_ms, 0.95)

    @property
    def cpu(self):
        return statistics.median(self.cpu_ms) if self.cpu_ms else float("nan")

    @property
    def query_range(self):
        if not self.queries:
            return "?"
        low, high = min(self.queries), max(self.queries)
        return str(low) if low == high else f"{low}-{high}"
