"""An import job's life: dry run, crash and resume, one worker at a time."""

import pytest
from django.utils import timezone

from imports import jobs
from imports.models import STALL_AFTER, ImportJob, ImportRowError, JobStatus
from tests.imports.samples import ROWS
from tickets.models import Ticket, TicketEvent

pytestmark = pytest.mark.django_db


def test_dry_run_reports_but_writes_nothing(write_csv):
    path = write_csv([ROWS[0], ROWS[0], ["", "QQ", "", "", "", ""], ROWS[1]])
    summary = jobs.dry_run(path)

    assert (summary.created, summary.duplicates, summary.errors) == (2, 1, 1)
    assert [p.number for p in summary.problems] == [4]
    assert Ticket.objects.count() == 0


def test_a_crash_mid_file_keeps_whole_batches_and_resumes(write_csv, run_file, monkeypatch):
    rows = [[f"企业微信收不到验证码 第{i}条", "QQ", "", "", "", ""] for i in range(7)]
    rows[4] = ["", "QQ", "", "", "", ""]  # a bad row in the batch that crashes
    path = write_csv(rows)
    real_bulk_create = ImportRowError.objects.bulk_create
    calls = []

    def crash_on_third_batch(objs, *args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("worker killed")
        return real_bulk_create(objs, *args, **kwargs)

    monkeypatch.setattr(ImportRowError.objects, "bulk_create", crash_on_third_batch)
    with pytest.raises(RuntimeError):
        run_file(path, batch_size=2)

    # Batches 1-2 committed; batch 3 (tickets already inserted when it crashed) rolled back whole.
    job = ImportJob.objects.get()
    assert job.status == JobStatus.FAILED
    assert job.rows_done == 4
    assert Ticket.objects.count() == 4
    assert TicketEvent.objects.count() == 4
    assert ImportRowError.objects.count() == 0

    monkeypatch.setattr(ImportRowError.objects, "bulk_create", real_bulk_create)
    job = jobs.run_job(job.pk, batch_size=2)

    assert job.status == JobStatus.DONE
    assert (job.rows_done, job.created_count, job.error_count) == (7, 6, 1)
    assert Ticket.objects.count() == 6
    assert TicketEvent.objects.count() == 6
    assert list(ImportRowError.objects.values_list("row_number", flat=True)) == [6]


def test_resuming_without_the_resume_point_still_adds_nothing_twice(write_csv, run_file):
    path = write_csv(ROWS)
    job = run_file(path)
    # As if the worker died after committing the tickets but the job row was lost.
    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, rows_done=0, created_count=0
    )

    job = jobs.run_job(job.pk, force=True)

    assert job.status == JobStatus.DONE
    assert Ticket.objects.count() == 3
    assert job.duplicate_count == 3


def test_a_job_running_elsewhere_is_not_started_twice(write_csv):
    path = write_csv(ROWS)
    job = ImportJob.objects.create(
        path=str(path), original_name=path.name, status=JobStatus.RUNNING
    )

    job = jobs.run_job(job.pk)  # e.g. the task redelivered while the first still runs

    assert job.status == JobStatus.RUNNING
    assert Ticket.objects.count() == 0

    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - STALL_AFTER * 2)
    job = jobs.run_job(job.pk)  # but one that went quiet is taken over

    assert job.status == JobStatus.DONE
    assert Ticket.objects.count() == 3
