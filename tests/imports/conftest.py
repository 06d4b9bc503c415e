import csv

import pytest

from imports.models import ImportJob

HEADER = ["text", "channel", "candidate_number", "college", "contact", "created_at"]


@pytest.fixture
def write_csv(tmp_path):
    """write_csv(rows, header=HEADER, encoding="utf-8", name="in.csv") -> path"""

    def write(rows, header=HEADER, encoding="utf-8", name="in.csv"):
        path = tmp_path / name
        with open(path, "w", encoding=encoding, newline="") as f:
            writer = csv.writer(f)
            writer.writerow(header)
            writer.writerows(rows)
        return path

    return write


@pytest.fixture
def write_xlsx(tmp_path):
    def write(rows, header=HEADER, name="in.xlsx"):
        import openpyxl

        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        path = tmp_path / name
        workbook.save(path)
        return path

    return write


@pytest.fixture
def run_file():
    """Import a file through a job, as the page and the command do."""
    from imports.jobs import run_job

    def run(path, *, batch_size=1000, default_channel=""):
        job = ImportJob.objects.create(
            path=str(path), original_name=path.name, default_channel=default_channel
        )
        return run_job(job.pk, batch_size=batch_size)

    return run


@pytest.fixture
def inline_tasks(monkeypatch, django_capture_on_commit_callbacks):
    """Run the queued import inline when the request's transaction commits."""
    from imports import tasks

    monkeypatch.setattr(tasks, "THREAD_WHEN_EAGER", False)
    return django_capture_on_commit_callbacks
