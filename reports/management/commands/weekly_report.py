"""python manage.py weekly_report --week 2026-W47 [--college CODE]
[--format json|csv|xlsx|html] [--send] [--output FILE]

For an ISO week the report is stored (as the Monday task does; running it
again rewrites the same row) and the stored figures are printed, so the JSON
equals what /reports/?week=... shows. --from/--to give any date range instead
(printed, not stored, not mailed). Without --week or --from: last week.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string
from django.utils import translation

from reports import exports
from reports.build import build_report
from reports.emails import email_context
from reports.periods import PeriodError, date_range, iso_week, last_week
from reports.services import send_weekly_report, store_weekly_report
from tickets.models import College


class Command(BaseCommand):
    help = "Build (and store) a weekly report; print it as JSON, CSV, XLSX or the email's HTML."

    def add_arguments(self, parser):
        parser.add_argument("--week", help="ISO week, e.g. 2026-W47 (default: last week)")
        parser.add_argument("--from", dest="first", help="first day YYYY-MM-DD of a date range")
        parser.add_argument("--to", dest="last", help="last day YYYY-MM-DD of a date range")
        parser.add_argument("--college", help="college code for that college's version")
        parser.add_argument("--format", choices=["json", "csv", "xlsx", "html"], default="json")
        parser.add_argument(
            "--send", action="store_true", help="mail it to its recipients (again, if sent)"
        )
        parser.add_argument("--output", "-o", help="write to this file instead of standard output")

    def handle(self, *args, week, first, last, college, format, send, output, **options):
        try:
            if first or last:
                if week:
                    raise CommandError("give --week or --from/--to, not both")
                period = date_range(first or "", last or "")
            else:
                period = iso_week(week) if week else last_week()
        except PeriodError as exc:
            raise CommandError(str(exc)) from None
        scope = None
        if college:
            scope = College.objects.filter(code=college).first()
            if scope is None:
                codes = ", ".join(College.objects.values_list("code", flat=True))
                raise CommandError(f"no college with code {college!r}; known: {codes}")

        if period.is_iso_week:
            report = store_weekly_report(period=period, college=scope)
            data = report.data
        else:
            if send:
                raise CommandError("--send mails stored weekly reports: use --week")
            report, data = None, build_report(period, college=scope)

        with translation.override("zh-hans"):
            body = self._render(data, format)
        if output:
            with open(output, "wb") as fh:
                fh.write(body)
        else:
            sys.stdout.buffer.write(body)
            sys.stdout.flush()

        if send:
            count = send_weekly_report(report=report, force=True)
            self.stderr.write(
                f"mailed {period.iso_week} to {count} recipient(s)"
                if count
                else "no recipients configured (REPORT_RECIPIENTS / the college's teachers)"
            )

    def _render(self, data, fmt) -> bytes:
        if fmt == "json":
            return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        if fmt == "csv":
            return exports.to_csv(data)
        if fmt == "xlsx":
            return exports.to_xlsx(data)
        return render_to_string("reports/email.html", email_context(data)).encode("utf-8")
