"""Triage in a second process."""

import pytest

from guide.triage import suggest
from imports import jobs
from imports.models import ImportJob, JobStatus
from tests.imports.samples import ROWS
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


def test_a_triage_worker_process_gives_the_same_tickets(write_csv, run_file):
    rows = [
        [f"{text} 第{i}条", "QQ", "", "", "", ""] for i, text in enumerate(r[0] for r in ROWS * 5)
    ]
    path = write_csv(rows)
    job = ImportJob.objects.create(path=str(path), original_name=path.name)

    job = jobs.run_job(job.pk, batch_size=4, workers=1)

    assert (job.status, job.created_count) == (JobStatus.DONE, 15)
    for ticket in Ticket.objects.all():
        expected = suggest(ticket.text)
        assert (ticket.suggested_category, ticket.suggested_route) == (
            expected.category,
            expected.route,
        )
        assert ticket.suggested_confidence == pytest.approx(expected.confidence)
