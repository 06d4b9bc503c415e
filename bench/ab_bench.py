"""Before against after: the issue-16 pages served by two checkouts of the desk
at once (two gunicorns, one sync worker each, the same database), request by
request in alternating order, so both see the same minute of a shared machine.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/h16_1m
    .venv/bin/python bench/ab_bench.py --base-rev main --repeat 40
    .venv/bin/python bench/ab_bench.py --base-rev HEAD~1 --only list ticket

The base is `git archive <rev>` unpacked in the temporary directory
(supportdesk-ab-<commit>, made once per commit: outside the checkout, where
neither pytest nor ruff would read it); the other side is this checkout, as it is on disk. Prints
per scenario the worker CPU median of each side and the change, and the wall
medians. Reads only (no API create), as the bench desk user.
"""

import argparse
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

from http_harness import ROOT, Client, Gunicorn, Series, bench_user, setup_django

SCENARIOS = {
    "home": lambda c, pick: c.get("/"),
    "list": lambda c, pick: c.get("/tickets/"),
    "all": lambda c, pick: c.get("/tickets/?status="),
    "college": lambda c, pick: c.get("/tickets/", {"college": "sice", "status": "new"}),
    "page200": lambda c, pick: c.get("/tickets/", {"status": "", "page": 200}),
    "ticket": lambda c, pick: c.get(f"/tickets/{pick}/"),
    "search": lambda c, pick: c.get("/tickets/", {"q": "群聊", "status": ""}),
    "report": lambda c, pick: c.get("/reports/"),
    # A 7-day range nobody asked before (a cold build), the same one for both sides.
    "report_fresh": lambda c, pick: c.get("/reports/", _fresh_range(pick)),
}
_FRESH: dict[int, int] = {}


def _fresh_range(pick):
    import datetime as dt

    end = dt.date.today() - dt.timedelta(days=_FRESH.setdefault(pick, len(_FRESH) + 1))
    return {"from": (end - dt.timedelta(days=6)).isoformat(), "to": end.isoformat()}


def checkout(rev):
    commit = subprocess.run(
        ["git", "rev-parse", "--short", rev], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()
    target = Path(tempfile.gettempdir()) / f"supportdesk-ab-{commit}"
    if not (target / "manage.py").exists():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(
            ["git", "archive", commit], cwd=ROOT, check=True, capture_output=True
        )
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    return commit, target


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-rev", default="main", help="git revision of the 'before' side")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--only", nargs="+", choices=sorted(SCENARIOS), default=None)
    args = parser.parse_args(argv)
    setup_django()
    from tickets.models import Ticket

    bench_user()
    commit, base = checkout(args.base_rev)
    newest = Ticket.objects.order_by("-id").values_list("id", flat=True).first()
    names = args.only or [n for n in SCENARIOS if not n.startswith("report")]
    rng = random.Random(1)
    load = os.getloadavg()
    # The base keeps its own collected static files (var/ of its own directory).
    with (
        Gunicorn(
            workers=1, cwd=base, env={"STATIC_ROOT": str(base / "var" / "staticfiles")}
        ) as before,
        Gunicorn(workers=1) as after,
    ):
        sides = {"before": Client(before.port).login(), "after": Client(after.port).login()}
        series = {(side, n): Series(f"{side} {n}") for side in sides for n in names}
        for _ in range(2):
            for n in names:
                for client in sides.values():
                    SCENARIOS[n](client, newest)
        for i in range(args.repeat):
            for n in names:
                pick = rng.randint(max(1, newest - 900_000), newest)
                order = ("before", "after") if i % 2 == 0 else ("after", "before")
                for side in order:
                    series[side, n].add(SCENARIOS[n](sides[side], pick))
    print(
        f"before = {args.base_rev} ({commit}), after = this checkout; {args.repeat} rounds, "
        f"alternating; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at start, "
        f"{os.getloadavg()[0]:.2f} at the end\n"
    )
    print("| scenario | CPU ms before | after | change | wall ms before | after | queries |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for n in names:
        b, a = series["before", n], series["after", n]
        print(
            f"| {n} | {b.cpu:.1f} | {a.cpu:.1f} | {100 * (a.cpu - b.cpu) / b.cpu:+.0f}% "
            f"| {b.median:.1f} | {a.median:.1f} | {b.query_range} -> {a.query_range} |"
        )


if __name__ == "__main__":
    sys.exit(main())
