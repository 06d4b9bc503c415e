"""Write N realistic tickets straight into the database named by DATABASE_URL.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench
    .venv/bin/python bench/make_tickets.py --count 1000000 --migrate
    .venv/bin/python bench/make_tickets.py --count 20000 --weeks 8 --seed 7   # any DATABASE_URL

The schema must exist (`manage.py migrate` first; --migrate does it). On
PostgreSQL rows go in with COPY (about a minute per million with the indexes
in place); elsewhere with batched INSERTs. No service, no triage engine, no
signals: this is load for benchmarks, not a way to create real tickets.

What the rows look like: texts of the labelled messages in ../shared/triage/
(dev and train; the script stops when they are missing) with a varying tail;
category/route mostly as labelled, the engine's suggestion kept and overridden
in about one ticket in eight; channels, colleges (10% none) and statuses in
desk-like proportions; created_at rising with the id over --weeks weeks up to
now (as a live desk writes them), first answers within hours and resolutions
within days for most. About 1% get
a "reopened" event. --clear deletes earlier bench rows (source_key 'bench:...').
"""

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supportdesk.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-key")

# The brief's labelled messages, beside the repository (../shared/triage).
TRIAGE = ROOT.parent / "shared" / "triage"
SOURCES = ("dev.jsonl", "train.jsonl")
TAILS = [
    "",
    "",
    "谢谢老师",
    "急！",
    "麻烦了",
    "在线等",
    "请问怎么办",
    "老师您好",
    "考生号后四位{n}",
]
CHANNELS = (
    ["wechat"] * 35
    + ["qq"] * 25
    + ["email"] * 15
    + ["phone"] * 15
    + ["walk_in"] * 4
    + ["college"] * 6
)
ROUTES = ("guide_answer", "escalate", "refer_college", "manual")
BATCH = 5000


def load_messages():
    """(text, category, route) of every labelled message; no silent fallback,
    a benchmark over six made-up messages would measure nothing real."""
    paths = [TRIAGE / name for name in SOURCES]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise SystemExit(f"bench texts missing: {', '.join(missing)} (expected ../shared/triage)")
    rows = [
        json.loads(line)
        for p in paths
        for line in p.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return [(r["text"], r["category"], r["route"]) for r in rows]


def ticket_rows(count, weeks, seed, run, now, college_ids, categories):
    """Yield dicts of Ticket column values."""
    from reports import phrases

    rng = random.Random(seed)
    messages = load_messages()
    span = weeks * 7 * 86400
    for i in range(count):
        text, category, route = rng.choice(messages)
        text = text + rng.choice(TAILS).format(n=rng.randint(1000, 9999))
        # In id order, as a live desk writes them: a week's rows sit together on disk.
        created = now - dt.timedelta(seconds=span * (1 - (i + rng.random()) / max(count, 1)))
        # The engine's suggestion, corrected by staff about one time in eight.
        suggested_category, suggested_route = category, route
        roll = rng.random()
        if roll < 0.08:
            suggested_category = rng.choice(categories)
        elif roll < 0.12:
            suggested_route = rng.choice(ROUTES)
        if category == "other" and rng.random() < 0.5:
            text = (
                rng.choice(
                    [
                        "鸿蒙NEXT装不了企业微信",
                        "HarmonyOS NEXT 手机怎么激活企业号",
                        "复试通知在哪里看",
                    ]
                )
                + text
            )
        age = (now - created).total_seconds()
        answered = resolved = None
        status = "new"
        if age > 3600 and rng.random() < 0.9:
            answered = created + dt.timedelta(seconds=min(rng.expovariate(1 / 14400), age))
            status = "answered"
            if route == "escalate" and rng.random() < 0.7:
                status = "escalated"
            elif route == "refer_college" and rng.random() < 0.6:
                status = "referred"
            if rng.random() < 0.8:
                r = answered + dt.timedelta(seconds=rng.expovariate(1 / 86400))
                if r < now:
                    resolved, status = r, rng.choice(("resolved", "resolved", "closed"))
        yield {
            "candidate_name": "",
            "candidate_number": f"106141{rng.randint(0, 10**9 - 1):09d}",
            "college_id": rng.choice(college_ids) if rng.random() < 0.9 else None,
            "contact_phone": f"13{rng.randint(0, 10**9 - 1):09d}",
            "contact_email": "",
            "contact_wechat": "",
            "channel": rng.choice(CHANNELS),
            "text": text,
            "category": category,
            "route": route,
            "also": "[]",
            "reply_text": "",
            "reply_category": "",
            "reply_route": "",
            "reply_edited": False,
            "suggested_category": suggested_category,
            "suggested_route": suggested_route,
            "suggested_confidence": round(rng.uniform(0.3, 0.99), 3),
            "suggested_evidence": "[]",
            "status": status,
            # What ticket_values keeps for a ticket suggested "other" (reports.phrases).
            "other_phrases": json.dumps(phrases.candidates(text), ensure_ascii=False)
            if suggested_category == "other"
            else None,
            "created_at": created,
            "updated_at": resolved or answered or created,
            "first_answered_at": answered,
            "resolved_at": resolved,
            "source_key": f"bench:{run}:{i}",
        }


def clear_bench_rows(connection, transaction, Ticket, TicketEvent) -> int:
    """Two set-based DELETEs (the ORM would load a million ids to cascade);
    the ORM's delete when another table points at bench tickets."""
    from django.db import IntegrityError

    tickets, events = Ticket._meta.db_table, TicketEvent._meta.db_table
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {events} WHERE ticket_id IN "
                f"(SELECT id FROM {tickets} WHERE source_key LIKE 'bench:%%')"
            )
            cursor.execute(f"DELETE FROM {tickets} WHERE source_key LIKE 'bench:%%'")
            return cursor.rowcount
    except IntegrityError:
        return Ticket.objects.filter(source_key__startswith="bench:").delete()[0]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, required=True, help="how many tickets")
    parser.add_argument(
        "--weeks", type=int, default=52, help="spread created_at over this many weeks up to now"
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--clear", action="store_true", help="delete earlier bench rows first")
    parser.add_argument("--migrate", action="store_true", help="run manage.py migrate first")
    args = parser.parse_args(argv)
    if args.count < 0 or args.weeks < 1:
        parser.error("--count must be >= 0 and --weeks >= 1")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.models.functions import Mod
    from django.utils import timezone

    if args.migrate:
        call_command("migrate", verbosity=0)
    from guide.categories import CATEGORY_CODES
    from tickets import events
    from tickets.models import College, EventKind, Ticket, TicketEvent

    if args.clear:
        t0 = time.perf_counter()
        deleted = clear_bench_rows(connection, transaction, Ticket, TicketEvent)
        print(f"cleared {deleted} rows in {time.perf_counter() - t0:.1f}s", file=sys.stderr)

    college_ids = list(College.objects.values_list("pk", flat=True))
    if not college_ids:
        sys.exit("no colleges: run manage.py migrate first (or pass --migrate)")
    run = f"{int(time.time())}"
    now = timezone.now()
    rows = ticket_rows(
        args.count, args.weeks, args.seed, run, now, college_ids, list(CATEGORY_CODES)
    )
    fields = [f for f in Ticket._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    defaults = {}
    for f in fields:  # columns added after this script was written get their default
        if f.has_default():
            value = f.get_default()
            defaults[f.column] = json.dumps(value) if isinstance(value, list | dict) else value
        else:
            defaults[f.column] = None

    t0 = time.perf_counter()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            table = Ticket._meta.db_table
            with connection.cursor() as cursor:
                raw = cursor.connection.cursor()
                with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row([row.get(c, defaults[c]) for c in columns])
        else:
            # Django's own adapter: the text form its queries compare against.
            adapt = connection.ops.adapt_datetimefield_value
            stamps = {f.column for f in fields if f.get_internal_type() == "DateTimeField"}
            placeholders = ", ".join(["%s"] * len(columns))
            table = Ticket._meta.db_table
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"
            batch = []
            with connection.cursor() as cursor:
                for row in rows:
                    batch.append(
                        [adapt(row[c]) if c in stamps else row.get(c, defaults[c]) for c in columns]
                    )
                    if len(batch) >= BATCH:
                        cursor.executemany(sql, batch)
                        batch = []
                if batch:
                    cursor.executemany(sql, batch)
        # A reopened event for 1% of the new tickets (every hundredth id).
        new_ids = Ticket.objects.filter(source_key__startswith=f"bench:{run}:")
        reopen = list(
            new_ids.annotate(m=Mod("id", 100)).filter(m=0).values_list("pk", "created_at")
        )
        events.insert(
            events.values(
                ticket_id=pk,
                actor_id=None,
                kind=EventKind.REOPENED,
                created_at=created + dt.timedelta(days=2),
            )
            for pk, created in reopen
        )
    elapsed = time.perf_counter() - t0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Ticket._meta.db_table}")
            cursor.execute(f"ANALYZE {TicketEvent._meta.db_table}")
    rate = args.count / elapsed if elapsed else 0
    print(
        f"wrote {args.count} tickets (+{len(reopen)} reopened events) to {connection.vendor} "
        f"{connection.settings_dict['NAME']} in {elapsed:.1f}s ({rate:,.0f}/s); "
        f"now {Ticket.objects.count()} tickets",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
