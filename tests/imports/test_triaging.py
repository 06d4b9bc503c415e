"""Triage in a second process."""

import pytest

from imports import jobs
from imports.models import ImportJob, JobStatus
from tests.imports.samples import ROWS, TRIAGED
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        t.text: (t.suggested_category, t.suggested_route, t.suggested_confidence)
        for t in Ticket.objects.all()
    }


def test_a_triage_worker_process_gives_the_same_tickets(write_csv):
    texts = [r[0] for r in ROWS * 5]
    path = write_csv([[f"{text} 第{i}条", "QQ", "", "", "", ""] for i, text in enumerate(texts)])

    def run(workers):
        job = ImportJob.objects.create(path=str(path), original_name=path.name)
        return jobs.run_job(job.pk, batch_size=4, workers=workers)

    inline = run(workers=0)
    in_process = snapshot()
    Ticket.objects.all().delete()
    job = run(workers=1)

    assert (inline.created_count, job.status, job.created_count) == (15, JobStatus.DONE, 15)
    assert snapshot() == in_process
    assert sorted(category for category, _r, _c in in_process.values()) == sorted(
        TRIAGED[text][0] for text in texts
    )
