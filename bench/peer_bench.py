"""supportdesk beside django-helpdesk (from PyPI) on the same machine, the same
tickets and the same scenarios, interleaved request by request, with ratios.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/h16_100k   # 100,000 tickets
    .venv/bin/python bench/peer_bench.py --repeat 20 > bench/out/peer_100k.md

What it does, each step skipped when already done:

1. a virtualenv of its own outside the repository (`PEER_BENCH_DIR`, default
   /tmp/supportdesk-peer-bench/venv; nothing of django-helpdesk is committed or
   lies in the checkout, whose tests look through it), with
   django-helpdesk==2.6.1, psycopg and gunicorn installed by pip from PyPI;
2. a minimal project for it beside (`peer_site`: settings, urls, and a WSGI
   wrapper adding the worker's CPU time and query count to each response, as
   bench/cpu_wsgi.py does for supportdesk) and a database of its own
   (`<DATABASE_URL's name>_helpdesk`), migrated;
3. the same tickets: every ticket of DATABASE_URL copied with its id, text
   (title: its first 60 characters; description: all of it), creation time,
   status (open, resolved, closed) and e-mail; the bench desk user's 60 open
   tickets are assigned to the peer's bench user, a staff member (helpdesk's
   role for desk staff) showing 50 tickets a page like supportdesk;
4. one gunicorn sync worker for each over loopback, each logged in like a
   browser; every round asks each scenario of both systems, alternating which
   goes first, after two warm-up rounds.

A django-helpdesk list is two requests, as its browser page does: the page,
then the rows (`datatables_ticket_list`, which also counts all matches); both
are timed, and their sum is the list's figure. A search is that list with `q`.
Ratios are helpdesk / supportdesk: above 1, supportdesk is faster.
"""

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from http_harness import (
    BENCH_PASSWORD,
    BENCH_USER,
    Client,
    Gunicorn,
    bench_user,
    percentile,
    setup_django,
)

HELPDESK = "django-helpdesk==2.6.1"
PEER_DIR = Path(os.environ.get("PEER_BENCH_DIR", "/tmp/supportdesk-peer-bench"))
VENV = PEER_DIR / "venv"
SITE = PEER_DIR / "peer_site"
PER_PAGE = 50

SETTINGS = '''"""django-helpdesk for bench/peer_bench.py only (written by it)."""
import os

SECRET_KEY = "peer-bench-only"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "helpdesk",
]
SITE_ID = 1
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "peer_site.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ["PEER_DB"],
        "USER": os.environ.get("PEER_DB_USER", "postgres"),
        "HOST": os.environ.get("PEER_DB_HOST", "127.0.0.1"),
        "PORT": os.environ.get("PEER_DB_PORT", "5432"),
        "CONN_MAX_AGE": 60,
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True
STATIC_URL = "/static/"
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
HELPDESK_TEAMS_MODE_ENABLED = False  # pinax-teams is an optional extra
# Token auth for the API, as supportdesk's API create is measured.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ]
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
'''

URLS = """from django.urls import include, path

urlpatterns = [path("", include("helpdesk.urls", namespace="helpdesk"))]
"""

WSGI = '''"""django-helpdesk's WSGI app with the worker's CPU time and query count per
response, exactly as bench/cpu_wsgi.py adds them to supportdesk's."""
import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peer_site.settings")
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import connection  # noqa: E402

desk_application = get_wsgi_application()


def application(environ, start_response):
    queries = [0]

    def count(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    def start(status, headers, exc_info=None):
        cpu_us = round((time.process_time() - started) * 1e6)
        headers = [*headers, ("X-Worker-CPU-us", str(cpu_us)), ("X-Queries", str(queries[0]))]
        return start_response(status, headers, exc_info)

    started = time.process_time()
    with connection.execute_wrapper(count):
        return desk_application(environ, start)
'''

# Run by the peer's own Python: its bench user (staff, 50 tickets a page), an
# API token and a queue; prints them as JSON.
PEER_SETUP = """
import json, django
django.setup()
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from helpdesk.models import Queue, UserSettings
user, _ = get_user_model().objects.get_or_create(username=%(user)r)
user.set_password(%(password)r)
user.is_staff, user.is_superuser = True, False
user.save()
settings, _ = UserSettings.objects.get_or_create(user=user)
settings.tickets_per_page = %(per_page)d
settings.save()
queue, _ = Queue.objects.get_or_create(slug="desk", defaults={"title": "服务台"})
token, _ = Token.objects.get_or_create(user=user)
print(json.dumps({"user_id": user.pk, "queue_id": queue.pk, "token": token.key}))
"""

# supportdesk status -> django-helpdesk status (1 open, 3 resolved, 4 closed)
STATUS = {"resolved": 3, "closed": 4}
OPEN = 1


def run(cmd, **kwargs):
    return subprocess.run(cmd, check=True, text=True, **kwargs)


def ensure_venv():
    python = VENV / "bin" / "python"
    if not python.exists():
        run([sys.executable, "-m", "venv", str(VENV)])
    check = subprocess.run(
        [str(python), "-c", "import helpdesk, psycopg, gunicorn"], capture_output=True
    )
    if check.returncode:
        run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "--quiet",
                HELPDESK,
                "psycopg[binary]",
                "gunicorn",
            ]
        )
    return python


def write_site():
    SITE.mkdir(parents=True, exist_ok=True)
    package = SITE / "peer_site"
    package.mkdir(exist_ok=True)
    for name, text in {
        "__init__.py": "",
        "settings.py": SETTINGS,
        "urls.py": URLS,
        "cpu_wsgi.py": WSGI,
    }.items():
        (package / name).write_text(text, encoding="utf-8")


def peer_env(db):
    url = urlsplit(os.environ["DATABASE_URL"])
    return {
        **os.environ,
        "PYTHONPATH": str(SITE),
        "DJANGO_SETTINGS_MODULE": "peer_site.settings",
        "PEER_DB": db,
        "PEER_DB_USER": url.username or "postgres",
        "PEER_DB_HOST": url.hostname or "127.0.0.1",
        "PEER_DB_PORT": str(url.port or 5432),
    }


def pg_url(name):
    url = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(url._replace(path="/" + name))


def ensure_database(name):
    import psycopg

    with psycopg.connect(pg_url("postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def load_peer(python, env, db, bench_user_id, peer):
    """Copy every ticket of ours into the peer's table (same ids), unless it
    already holds as many."""
    import psycopg

    ours = os.environ["DATABASE_URL"]
    with psycopg.connect(ours) as src, psycopg.connect(pg_url(db)) as dst:
        total = src.execute("SELECT count(*) FROM tickets_ticket").fetchone()[0]
        have = dst.execute("SELECT count(*) FROM helpdesk_ticket").fetchone()[0]
        if have == total:
            return total, False
        dst.execute("TRUNCATE helpdesk_ticket CASCADE")
        columns = (
            "id, title, created, modified, submitter_email, status, on_hold, description,"
            " priority, assigned_to_id, queue_id, secret_key"
        )
        with (
            src.cursor(name="tickets") as rows,
            dst.cursor() as out,
            out.copy(f"COPY helpdesk_ticket ({columns}) FROM STDIN") as copy,
        ):
            rows.itersize = 5000
            rows.execute(
                "SELECT id, text, created_at, updated_at, contact_email, status, assignee_id"
                " FROM tickets_ticket ORDER BY id"
            )
            for pk, text, created, updated, email, status, assignee in rows:
                title = " ".join(text.split())[:60] or "-"
                copy.write_row(
                    (
                        pk,
                        title,
                        created,
                        updated,
                        email or None,
                        STATUS.get(status, OPEN),
                        False,
                        text,
                        3,
                        peer["user_id"] if assignee == bench_user_id else None,
                        peer["queue_id"],
                        str(uuid.uuid4()),
                    )
                )
        dst.execute(
            "SELECT setval(pg_get_serial_sequence('helpdesk_ticket', 'id'),"
            " (SELECT max(id) FROM helpdesk_ticket))"
        )
        dst.commit()
    with psycopg.connect(pg_url(db), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE helpdesk_ticket")
    return total, True


def setup_peer(db):
    python = ensure_venv()
    write_site()
    ensure_database(db)
    env = peer_env(db)
    run([str(python), "-m", "django", "migrate", "--noinput", "-v0"], env=env, cwd=SITE)
    script = PEER_SETUP % {"user": BENCH_USER, "password": BENCH_PASSWORD, "per_page": PER_PAGE}
    out = run([str(python), "-c", script], env=env, cwd=SITE, capture_output=True).stdout
    return python, env, json.loads(out.strip().splitlines()[-1])


class Peer:
    """The peer's requests for each scenario (a list is page + rows)."""

    ROWS = re.compile(r'"url": "(/datatables_ticket_list/[^"]+)"')

    def __init__(self, client, token, queue_id):
        self.client, self.token, self.queue_id = client, token, queue_id

    def list(self, params=None, start=0):
        page = self.client.get("/tickets/", params)
        found = self.ROWS.search(page.body.decode())
        if page.status != 200 or not found:
            raise SystemExit(f"helpdesk list: HTTP {page.status}, no datatables URL")
        rows = self.client.get(
            found.group(1),
            {
                "draw": 1,
                "start": start,
                "length": PER_PAGE,
                "order[0][column]": 5,
                "order[0][dir]": "desc",
            },
        )
        return [page, rows]

    def create(self, text):
        body = json.dumps(
            {"queue": self.queue_id, "title": text[:60], "description": text, "priority": 3}
        )
        headers = {"Authorization": f"Token {self.token}", "Content-Type": "application/json"}
        return [self.client.request("POST", "/api/tickets/", body=body, headers=headers)]


class Figures:
    def __init__(self):
        self.wall, self.cpu, self.queries = [], [], []

    def add(self, replies, label):
        for reply in replies:
            if not 200 <= reply.status < 400:
                raise SystemExit(f"{label}: HTTP {reply.status}\n{reply.body[:300]!r}")
        self.wall.append(sum(r.wall_ms for r in replies))
        self.cpu.append(sum(r.cpu_ms or 0 for r in replies))
        self.queries.append(sum(r.queries or 0 for r in replies))

    @property
    def median(self):
        return statistics.median(self.wall)

    @property
    def p95(self):
        return percentile(self.wall, 0.95)

    @property
    def cpu_median(self):
        return statistics.median(self.cpu)

    @property
    def query_range(self):
        low, high = min(self.queries), max(self.queries)
        return str(low) if low == high else f"{low}-{high}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--search", nargs="+", default=["鸿蒙", "群聊", "点了半天"])
    parser.add_argument("--peer-db", help="the peer's database (default: <ours>_helpdesk)")
    args = parser.parse_args(argv)
    setup_django()
    from django.db import connection

    from tickets.models import Ticket

    user, token = bench_user()
    db = args.peer_db or urlsplit(os.environ["DATABASE_URL"]).path.lstrip("/") + "_helpdesk"
    started = time.time()
    python, env, peer_ids = setup_peer(db)
    total, loaded = load_peer(python, env, db, user.pk, peer_ids)
    setup_seconds = time.time() - started
    newest = Ticket.objects.order_by("-id").values_list("id", flat=True).first()
    ours_total = Ticket.objects.count()
    connection.close()  # the servers get the database to themselves
    load_before = os.getloadavg()[0]
    rng = random.Random(1)
    peer_gunicorn = python.with_name("gunicorn")

    with (
        Gunicorn(workers=1) as desk,
        Gunicorn(
            workers=1,
            app="peer_site.cpu_wsgi:application",
            cwd=SITE,
            env=env,
            gunicorn=peer_gunicorn,
        ) as helpdesk,
    ):
        ours = Client(desk.port).login()
        api = Client(desk.port)
        auth = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
        peer = Peer(
            Client(helpdesk.port).login(path="/login/"), peer_ids["token"], peer_ids["queue_id"]
        )
        all_statuses = {"status": ["1", "2", "3", "4", "5"]}

        def ours_create(text):
            body = json.dumps({"text": text, "channel": "qq"})
            return [api.request("POST", "/api/tickets/", body=body, headers=auth)]

        ticket = {"id": newest}

        cases = [
            ("list: default view", lambda: [ours.get("/tickets/")], lambda: peer.list()),
            (
                "list: all tickets, first page",
                lambda: [ours.get("/tickets/", {"status": ""})],
                lambda: peer.list(all_statuses),
            ),
            (
                "list: all tickets, page 200",
                lambda: [ours.get("/tickets/", {"status": "", "page": 200})],
                lambda: peer.list(all_statuses, start=199 * PER_PAGE),
            ),
            (
                "ticket page",
                lambda: [ours.get(f"/tickets/{ticket['id']}/")],
                lambda: [peer.client.get(f"/tickets/{ticket['id']}/")],
            ),
            ("reports", lambda: [ours.get("/reports/")], lambda: [peer.client.get("/reports/")]),
            (
                "create (API)",
                lambda: ours_create(f"企业微信第三步收不到验证码 bench {time.time_ns()}"),
                lambda: peer.create(f"企业微信第三步收不到验证码 bench {time.time_ns()}"),
            ),
        ] + [
            (
                f"search “{term}”",
                lambda t=term: [ours.get("/tickets/", {"q": t, "status": ""})],
                lambda t=term: peer.list({"q": t, **all_statuses}),
            )
            for term in args.search
        ]
        figures = {label: (Figures(), Figures()) for label, _, _ in cases}
        for round_no in range(args.repeat + 2):
            ticket["id"] = rng.randint(max(1, newest - total + 1), newest)
            for label, ask_ours, ask_peer in cases:
                pair = [(0, ask_ours), (1, ask_peer)]
                if round_no % 2:
                    pair.reverse()
                for side, ask in pair:
                    replies = ask()
                    if round_no >= 2:  # two warm-up rounds
                        figures[label][side].add(replies, label)

    ours_db = urlsplit(os.environ["DATABASE_URL"]).path[1:]
    print(
        f"{ours_total:,} tickets in each (supportdesk `{ours_db}`,"
        f" {HELPDESK} `{db}`{', copied now' if loaded else ''}; set-up {setup_seconds:.0f} s);"
        f" one gunicorn sync worker each over loopback; {args.repeat} rounds after 2 warm-up,"
        f" request by request, alternating which system goes first; load average at start"
        f" {load_before:.1f} on {os.cpu_count()} CPUs\n"
    )
    print(
        "| scenario | supportdesk median ms | p95 | worker CPU ms | queries "
        "| helpdesk median ms | p95 | worker CPU ms | queries | ratio (wall) | ratio (CPU) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for label, _, _ in cases:
        a, b = figures[label]
        print(
            f"| {label} | {a.median:.1f} | {a.p95:.1f} | {a.cpu_median:.1f} | {a.query_range} "
            f"| {b.median:.1f} | {b.p95:.1f} | {b.cpu_median:.1f} | {b.query_range} "
            f"| {b.median / a.median:.1f}x | {b.cpu_median / max(a.cpu_median, 0.01):.1f}x |"
        )
    Ticket.objects.filter(text__contains=" bench ").delete()
    import psycopg

    with psycopg.connect(pg_url(db), autocommit=True) as conn:
        created = "SELECT id FROM helpdesk_ticket WHERE description LIKE '% bench %'"
        conn.execute(f"DELETE FROM helpdesk_followup WHERE ticket_id IN ({created})")
        conn.execute(f"DELETE FROM helpdesk_ticket WHERE id IN ({created})")


if __name__ == "__main__":
    main()
