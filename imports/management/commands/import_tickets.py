"""python manage.py import_tickets FILE [--dry-run] [--channel qq] [--user NAME] [--resume JOB]"""

import os
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from imports import jobs
from imports.models import ImportJob, JobStatus
from tickets.models import Channel


class Command(BaseCommand):
    help = (
        "Import and triage tickets from a CSV or XLSX file (columns: text, channel, "
        "candidate_number, college, contact, created_at; Chinese headers accepted). "
        "Re-importing adds nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", nargs="?", help="CSV (UTF-8, UTF-8 with BOM, GB18030) or XLSX file"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="validate and triage every row, write nothing"
        )
        parser.add_argument(
            "--channel",
            choices=Channel.values,
            default="",
            help="channel for rows whose channel cell is empty",
        )
        parser.add_argument("--user", help="username recorded as the creator of the tickets")
        parser.add_argument(
            "--resume", type=int, metavar="JOB", help="continue an interrupted import job"
        )
        parser.add_argument("--batch-size", type=int, default=jobs.BATCH_SIZE)
        parser.add_argument(
            "--workers",
            type=int,
            choices=[0, 1],
            default=1 if (os.cpu_count() or 1) > 1 else 0,
            help="1: triage in a second process while this one writes (default on 2+ CPUs)",
        )
        parser.add_argument("--max-errors-shown", type=int, default=50)

    def handle(self, *args, **options):
        if options["resume"]:
            job = ImportJob.objects.filter(pk=options["resume"]).first()
            if job is None:
                raise CommandError(f"no import job #{options['resume']}")
            return self._run(job, options)
        if not options["file"]:
            raise CommandError("give a FILE to import (or --resume JOB)")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        if options["dry_run"]:
            return self._dry_run(path, options)
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"no user named {options['user']!r}")
        job = ImportJob.objects.create(
            path=str(path.resolve()),
            original_name=path.name,
            created_by=user,
            default_channel=options["channel"],
        )
        return self._run(job, options)

    def _run(self, job, options):
        try:
            job = jobs.run_job(
                job.pk,
                batch_size=options["batch_size"],
                workers=options["workers"],
                force=bool(options["resume"]),
            )
        except Exception as exc:
            job.refresh_from_db()
            raise CommandError(f"import job #{job.pk} stopped: {job.failure or exc}") from exc
        self.stdout.write(
            f"import job #{job.pk} {job.original_name}: {job.get_status_display()} ({job.status})\n"
            f"rows read: {job.rows_done}, created: {job.created_count}, duplicates skipped: "
            f"{job.duplicate_count}, bad rows: {job.error_count}, blank rows: {job.blank_count}"
        )
        if job.ignored_columns:
            self.stdout.write(f"ignored columns: {', '.join(job.ignored_columns)}")
        shown = options["max_errors_shown"]
        for error in job.row_errors.all()[:shown]:
            self.stdout.write(
                f"row {error.row_number}: {error.column}: {error.reason} {error.value!r}"
            )
        if job.error_count and job.row_errors.count() > shown:
            self.stdout.write(f"... see all bad rows at /imports/{job.pk}/")
        if job.status == JobStatus.FAILED:
            raise CommandError(job.failure)

    def _dry_run(self, path, options):
        try:
            summary = jobs.dry_run(
                path, default_channel=options["channel"], batch_size=options["batch_size"]
            )
        except jobs.ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"dry run of {path.name} (nothing written): rows read: {summary.rows}, would create: "
            f"{summary.created}, duplicates: {summary.duplicates}, bad rows: {summary.errors}, "
            f"blank rows: {summary.blank}"
        )
        for problem in summary.problems[: options["max_errors_shown"]]:
            self.stdout.write(
                f"row {problem.number}: {problem.column}: {problem.reason} {problem.value!r}"
            )
        if summary.problems_dropped:
            self.stdout.write(f"... and {summary.problems_dropped} more problems not kept")
