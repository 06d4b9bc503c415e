"""`python manage.py relay`: deliver due outbox rows (cron, or --loop as a service).

Needs no broker: it delivers mail directly and hands tasks to Celery only when
REDIS_URL is set, so it keeps mail flowing while Redis is down.
"""

import time

from django.core.management.base import BaseCommand

from outbox import relay


class Command(BaseCommand):
    help = "Deliver due side effects from the outbox (retries with backoff)."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep running")
        parser.add_argument("--interval", type=float, default=5.0, help="seconds between passes")
        parser.add_argument("--limit", type=int, default=None, help="rows per pass")

    def handle(self, *args, loop=False, interval=5.0, limit=None, **options):
        while True:
            total = relay.RelayResult()
            while True:
                result = relay.relay(limit)
                total += result
                if result.delivered + result.failed == 0:
                    break
            if options["verbosity"] >= 1 and (total.delivered or total.failed or not loop):
                self.stdout.write(f"delivered {total.delivered}, failed {total.failed}")
            if not loop:
                return
            time.sleep(interval)
