"""The ticket list's harder cases at scale: deep pages, rare searches, the
API's cursor pages, and a filtered CSV export. Median and p95 ms.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/<a bench database>
    .venv/bin/python bench/make_tickets.py --count 1000000 --migrate
    .venv/bin/python bench/tickets_list_bench.py --repeat 10

Runs in process through Django's full stack (test Client) as a superuser.
Targets: every list/API page < 300 ms median; no COUNT(*) on list pages.
"""

import argparse

from harness import setup_django, superuser_client, time_requests


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args(argv)
    setup_django()
    from django.db import connection

    from tickets.models import Ticket

    client, _ = superuser_client("bench_lists")
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
        timing = time_requests(name, lambda url=url: client.get(url), repeat=args.repeat, warmup=2)
        counted = any("COUNT(" in q["sql"].upper() for q in timing.last_queries)
        figures = f"{timing.median:.0f} | {timing.p95:.0f} | {timing.queries}"
        print(f"| {name} | {figures} | {'yes' if counted else 'no'} |")


if __name__ == "__main__":
    main()
