"""An ImportJob's life: created from an upload, queued, claimed by one worker,
run (or resumed from its last committed batch), ended as done or failed with
the reason; and the dry run that writes nothing."""

from __future__ import annotations

import logging
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from imports.batches import BATCH_SIZE, Importer, Summary
from imports.models import STALL_AFTER, ImportJob, JobStatus
from imports.reading import ImportFileError
from outbox.services import enqueue

log = logging.getLogger(__name__)

__all__ = ["BATCH_SIZE", "ImportFileError", "dry_run", "job_create", "job_resume", "run_job"]


def _job_path(job: ImportJob) -> str:
    return job.file.path if job.file else job.path


def run_job(
    job_id: int, *, batch_size: int = BATCH_SIZE, workers: int = 0, force: bool = False
) -> ImportJob:
    """Import (or resume) one job. Whole-file problems end it as failed with the reason.

    A job another worker is running (a redelivered task) is left alone unless
    it has committed nothing for STALL_AFTER; `force` (the command's --resume)
    takes it over regardless.
    """
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status == JobStatus.DONE:
        return job
    now = timezone.now()
    claim = ImportJob.objects.filter(pk=job.pk)
    if not force:
        claim = claim.filter(
            Q(status__in=[JobStatus.PENDING, JobStatus.FAILED])
            | Q(updated_at__lt=now - STALL_AFTER)
        )
    claimed = claim.update(
        status=JobStatus.RUNNING, started_at=job.started_at or now, failure="", updated_at=now
    )
    if not claimed:
        log.info("import job %s is running in another worker; not started twice", job.pk)
        return job
    job.refresh_from_db()
    importer = Importer(job, user=job.created_by, batch_size=batch_size, workers=workers)
    try:
        importer.run(_job_path(job))
    except ImportFileError as exc:
        ImportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, failure=str(exc), finished_at=timezone.now()
        )
    except Exception as exc:
        log.exception("import job %s crashed", job.pk)
        ImportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED,
            finished_at=timezone.now(),
            failure=_("导入中断（%(error)s）。已提交的行已保存，可继续导入。")
            % {"error": type(exc).__name__},
        )
        raise
    else:
        ImportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.DONE, finished_at=timezone.now()
        )
    job.refresh_from_db()
    return job


def dry_run(path, *, default_channel: str = "", batch_size: int = BATCH_SIZE) -> Summary:
    """Read, validate and triage every row; write nothing."""
    job = ImportJob(original_name=Path(path).name, default_channel=default_channel)
    return Importer(job, dry_run=True, batch_size=batch_size).run(path)


START_JOB = "imports.start_job"


def _queue(job: ImportJob) -> None:
    enqueue(START_JOB, {"job_id": job.pk})


def job_create(*, actor, upload, default_channel: str = "") -> ImportJob:
    """Store the uploaded file and queue its import (through the outbox)."""
    with transaction.atomic():
        job = ImportJob(
            original_name=upload.name[:255],
            default_channel=default_channel,
            created_by=actor if actor.is_authenticated else None,
        )
        job.file.save(Path(upload.name).name, upload, save=False)
        job.save()
        _queue(job)
    return job


def job_resume(*, actor, job: ImportJob) -> ImportJob:
    """Queue an interrupted job again; done rows are skipped."""
    if job.status == JobStatus.DONE:
        return job
    with transaction.atomic():
        ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.PENDING, failure="")
        _queue(job)
    job.refresh_from_db()
    return job
