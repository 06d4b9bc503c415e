"""The ticket list's harder cases at scale: deep pages, rare searches, the
API's cursor pages, and a filtered CSV export. Median and p95 ms.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/<a bench database>
    .venv/bin/python bench/make_tickets.py --count 1000000 --migrate
    .venv/bin/python bench/tickets_list_bench.py --repeat 10

Runs in process through Django's full stack (test Client) as a superuser.
Targets: every list/API page < 300 ms median; no COUNT(*) on list pages.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supportdesk.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-key")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit("set DATABASE_URL to a benchmark database (see the docstring)")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tickets.models import Ticket

    user, _ = get_user_model().objects.get_or_create(
        username="bench_lists", defaults={"is_superuser": True, "is_staff": True}
    )
    client = Client()
    client.force_login(user)
    first = client.get("/api/tickets/?page_size=50").json()

    cases = [
        ("list: page 2", "/tickets/?status=&page=2"),
        ("list: page 200 (offset 10,000)", "/tickets/?status=&page=200"),
        ("list: sorted by status", "/tickets/?status=&sort=status"),
        ("list: sorted by college", "/tickets/?status=&sort=college"),
        ("list: sorted by assignee, descending", "/tickets/?status=&sort=-assignee"),
        ("list: search, rare word", "/tickets/?status=&q=鸿蒙"),
        ("list: search, no hit", "/tickets/?status=&q=不存在的词语组合"),
        ("list: candidate number", "/tickets/?status=&q=106146000000001"),
        ("list: channel=qq & 4-week range", "/tickets/?status=&channel=qq&created_from=2026-10-29"),
        ("API: list first page", "/api/tickets/?page_size=50"),
        ("API: next cursor page", first["next"].replace("http://testserver", "")),
        ("API: college=sice&status=referred", "/api/tickets/?college=sice&status=referred"),
        ("CSV: college=sice & status=new", "/tickets/?college=sice&status=new&export=csv"),
    ]
    total = Ticket.objects.order_by().count()
    print(f"{total:,} tickets, {connection.vendor}, ", end="")
    print(f"{args.repeat} measured requests each after 2 warm-up\n")
    print("| request | median ms | p95 ms | queries | COUNT(*) |")
    print("|---|---:|---:|---:|---|")
    for name, url in cases:
        for _ in range(2):
            r = client.get(url)
            b"".join(r.streaming_content) if r.streaming else r.content
        times = []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                r = client.get(url)
                body = b"".join(r.streaming_content) if r.streaming else r.content
                times.append((time.perf_counter() - start) * 1000)
            assert r.status_code == 200, (url, r.status_code, body[:200])
        counted = any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)
        p95 = sorted(times)[round(0.95 * (len(times) - 1))]
        median = statistics.median(times)
        counted_mark = "yes" if counted else "no"
        print(f"| {name} | {median:.0f} | {p95:.0f} | {len(queries)} | {counted_mark} |")


if __name__ == "__main__":
    main()
