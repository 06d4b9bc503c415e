"""Time one bulk action over N tickets (the background job's path), median of runs.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/h14
    .venv/bin/python bench/bulk_bench.py --count 10000 --repeat 3 --migrate

Each run: N open tickets of one problem (written directly, like make_tickets),
then one BulkJob "answer with the category's reply, then resolve" run by
tickets.bulk.run_job in this process: per ticket its own transaction, a row
lock, two status changes with their events, and the job's progress. The
tickets are reset between runs; rows are tagged source_key 'bulkbench:' and
deleted at the end.
"""

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from harness import setup_django  # noqa: E402

TEXT = "企业号激活第三步一直收不到手机验证码，考生号后四位{n}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--migrate", action="store_true")
    args = parser.parse_args()
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    if args.migrate:
        call_command("migrate", verbosity=0)
        call_command("load_guide", verbosity=0)
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from tickets import bulk, roles
    from tickets.models import BulkJob, Status, Ticket, TicketEvent

    desk, _ = get_user_model().objects.get_or_create(username="bulkbench")
    desk.groups.add(Group.objects.get_or_create(name=roles.DESK)[0])
    Ticket.objects.filter(source_key__startswith="bulkbench:").delete()
    now = timezone.now()
    Ticket.objects.bulk_create(
        [
            Ticket(
                text=TEXT.format(n=i),
                channel="wechat",
                category="sms_code",
                route="guide_answer",
                suggested_category="sms_code",
                suggested_route="guide_answer",
                suggested_confidence=0.9,
                reply_text="",
                created_at=now,
                source_key=f"bulkbench:{i}",
            )
            for i in range(args.count)
        ],
        batch_size=2000,
    )
    ids = list(
        Ticket.objects.filter(source_key__startswith="bulkbench:")
        .order_by("id")
        .values_list("pk", flat=True)
    )
    times = []
    try:
        for run in range(args.repeat):
            Ticket.objects.filter(pk__in=ids).update(
                status=Status.NEW, resolved_at=None, first_answered_at=None, assignee=None
            )
            TicketEvent.objects.filter(ticket_id__in=ids).delete()
            job = BulkJob.objects.create(
                actor=desk,
                action="answer",
                params=bulk.check_params(desk, "answer", {"reply_id": "default", "resolve": True}),
                ticket_ids=ids,
                total=len(ids),
                as_of=timezone.now(),
            )
            started = time.perf_counter()
            job = bulk.run_job(job.pk)
            elapsed = time.perf_counter() - started
            resolved = Ticket.objects.filter(pk__in=ids, status=Status.RESOLVED).count()
            assert resolved == len(ids), (resolved, job.skipped)
            times.append(elapsed)
            print(f"run {run + 1}: {elapsed:.1f} s ({len(ids) / elapsed:.0f} tickets/s)")
    finally:
        Ticket.objects.filter(pk__in=ids).delete()
        BulkJob.objects.filter(actor=desk).delete()
    print(
        f"{connection.vendor}: bulk answer+resolve of {len(ids)} tickets, "
        f"median of {len(times)}: {statistics.median(times):.1f} s"
    )


if __name__ == "__main__":
    main()
