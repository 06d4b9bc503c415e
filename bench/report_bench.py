"""Time the weekly report on a big database (target: < 3 s per report).

    createdb -h 127.0.0.1 -U postgres bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench
    .venv/bin/python bench/make_tickets.py --count 1000000 --migrate
    .venv/bin/python bench/report_bench.py                  # last week, whole university
    .venv/bin/python bench/report_bench.py --week 2026-W47 --college sice --repeat 5

Times build_report() (every figure of the page, the JSON and the email) for the
whole university, one college, and a whole-year date range (the worst case:
every ticket in the aggregates), and prints the query count and the slowest
queries of the first run. Nothing is stored.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supportdesk.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-key")
TARGET_SECONDS = 3.0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--week", help="ISO week (default: last week)")
    parser.add_argument("--college", default="sice", help="college code for the per-college timing")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from reports.build import build_report
    from reports.periods import Period, iso_week, last_week
    from tickets.models import College, Ticket

    week = iso_week(args.week) if args.week else last_week()
    college = College.objects.get(code=args.college)
    year = Period(week.last_day.replace(year=week.last_day.year - 1), week.last_day)
    total = Ticket.objects.count()
    print(f"{connection.vendor} {connection.settings_dict['NAME']}: {total:,} tickets")

    failed = False
    for name, period, scope in (
        (f"{week.iso_week} whole university", week, None),
        (f"{week.iso_week} college {college.code}", week, college),
        (f"{year.first_day}..{year.last_day} whole university", year, None),
    ):
        times = []
        for attempt in range(args.repeat):
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                t0 = time.perf_counter()
                data = build_report(period, college=scope)
                times.append(time.perf_counter() - t0)
            if attempt == 0:
                first_queries = list(queries.captured_queries)
        best, median = min(times), statistics.median(times)
        verdict = "ok" if median < TARGET_SECONDS else "SLOW"
        failed |= median >= TARGET_SECONDS and period is week
        print(
            f"  {name}: median {median:.3f}s, best {best:.3f}s, first {times[0]:.3f}s "
            f"over {args.repeat} runs; {len(first_queries)} queries; "
            f"new={data['totals']['new']:,} resolved={data['totals']['resolved']:,} [{verdict}]"
        )
        slowest = sorted(first_queries, key=lambda q: -float(q["time"]))[:3]
        for q in slowest:
            print(f"      {float(q['time']):.3f}s  {q['sql'][:110]}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
