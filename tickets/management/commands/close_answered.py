from django.conf import settings
from django.core.management.base import BaseCommand

from tickets import autoclose


class Command(BaseCommand):
    help = "Resolve answered tickets with no activity for N days (AUTO_CLOSE_DAYS, default 7)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.AUTO_CLOSE_DAYS)
        parser.add_argument("--dry-run", action="store_true", help="list them, change nothing")

    def handle(self, *args, days, dry_run, **options):
        ids = autoclose.close_answered(days, dry_run=dry_run)
        verb = "would resolve" if dry_run else "resolved"
        listed = " ".join(f"#{i}" for i in ids[:50]) + (" ..." if len(ids) > 50 else "")
        self.stdout.write(f"{verb} {len(ids)} answered tickets idle {days}+ days {listed}".rstrip())
