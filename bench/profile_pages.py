"""In-process CPU per request of the issue-16 pages, as the bench desk user
(bench/http_harness.py), with an optional cProfile of one scenario.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/h16_1m
    .venv/bin/python bench/profile_pages.py --repeat 20
    .venv/bin/python bench/profile_pages.py --only list --profile 30 > bench/out/list.prof.txt

Requests go through Django's test client (every middleware, the session
login, templates), DEBUG off; reads only (the API create is left out).
"""

import argparse
import cProfile
import datetime as dt
import os
import pstats
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SUPPORTDESK_HTTPS", "0")
from harness import setup_django  # noqa: E402


def main(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument("--repeat", type=int, default=20)
    p.add_argument("--only", nargs="*")
    p.add_argument("--profile", type=int, default=0, help="profile N requests of --only")
    p.add_argument("--pyinstrument", action="store_true", help="with --profile: pyinstrument")
    p.add_argument("--sort", default="cumulative")
    p.add_argument("--lines", type=int, default=60)
    p.add_argument("--queries", action="store_true", help="print each scenario's SQL with times")
    args = p.parse_args(argv)
    setup_django()
    import random

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from http_harness import bench_user

    from reports.periods import last_week
    from reports.services import store_weekly_report
    from tickets.models import Ticket

    user, _ = bench_user()
    # What Monday's beat task leaves: last week's report stored (as http_bench.py).
    store_weekly_report(period=last_week())
    client = Client()
    client.force_login(user)
    newest = Ticket.objects.order_by("-id").values_list("id", flat=True).first()
    rng = random.Random(1)
    fresh_ranges = iter(range(1, 10_000))

    def fresh_range():
        # Seven days ending a day earlier each time: a cold build (as http_bench.py).
        end = dt.date.today() - dt.timedelta(days=next(fresh_ranges))
        return {"from": (end - dt.timedelta(days=6)).isoformat(), "to": end.isoformat()}

    cases = {
        "home": lambda: client.get("/"),
        "list": lambda: client.get("/tickets/"),
        "all": lambda: client.get("/tickets/?status="),
        "college": lambda: client.get("/tickets/", {"college": "sice", "status": "new"}),
        "page200": lambda: client.get("/tickets/", {"status": "", "page": 200}),
        "ticket": lambda: client.get(f"/tickets/{rng.randint(newest - 900_000, newest)}/"),
        "report": lambda: client.get("/reports/"),
        "report_fresh": lambda: client.get("/reports/", fresh_range()),
        "s_hongmeng": lambda: client.get("/tickets/", {"q": "鸿蒙", "status": ""}),
        "s_qunliao": lambda: client.get("/tickets/", {"q": "群聊", "status": ""}),
        "s_dianle": lambda: client.get("/tickets/", {"q": "点了半天", "status": ""}),
    }
    names = args.only or list(cases)
    for name in names:
        for _ in range(2):
            r = cases[name]()
            assert r.status_code in (200, 302), (name, r.status_code)
    if args.profile and args.pyinstrument:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.001)
        profiler.start()
        for name in names:
            for _ in range(args.profile):
                cases[name]()
        profiler.stop()
        print(profiler.output_text(unicode=True, show_all=True, time="percent_of_total"))
        return
    if args.profile:
        prof = cProfile.Profile(time.process_time)
        for name in names:
            prof.enable()
            for _ in range(args.profile):
                cases[name]()
            prof.disable()
        prof.dump_stats("bench/out/last.prof")
        pstats.Stats(prof).sort_stats(args.sort).print_stats(args.lines)
        return
    print("| scenario | CPU ms median | min | wall ms median | queries |")
    print("|---|---:|---:|---:|---:|")
    for name in names:
        cpu, wall, nq = [], [], []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as cq:
                c0, w0 = time.process_time(), time.perf_counter()
                cases[name]()
                cpu.append((time.process_time() - c0) * 1000)
                wall.append((time.perf_counter() - w0) * 1000)
            nq.append(len(cq))
        print(
            f"| {name} | {statistics.median(cpu):.1f} | {min(cpu):.1f} "
            f"| {statistics.median(wall):.1f} | {min(nq)}-{max(nq)} |"
        )
        if args.queries:
            for q in cq.captured_queries:
                print(f"    {q['time']}  {q['sql'][:300]}")


if __name__ == "__main__":
    main()
