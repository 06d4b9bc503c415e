from django.core.management.base import BaseCommand, CommandError

from inbox.fetch import NotConfigured, fetch_mail


class Command(BaseCommand):
    help = "Read new mail from IMAP_URL into tickets (once; Celery beat repeats it)."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="at most this many mails")

    def handle(self, *args, limit=None, **options):
        try:
            result = fetch_mail(limit=limit)
        except NotConfigured:
            raise CommandError("IMAP_URL is not set: the mail channel is off.") from None
        except Exception as exc:
            raise CommandError(f"fetch failed: {exc}") from exc
        counts = ", ".join(f"{k} {v}" for k, v in sorted(result.counts.items())) or "nothing new"
        self.stdout.write(
            f"{counts}; seen before {result.seen_before}; failed {result.failed}; "
            f"left for next fetch {result.left}"
        )
