"""Bad bytes and hostile spreadsheets: an import never stalls on them, the dry
run reports what the real run would, and the limits hold while streaming."""

import time

import pytest
from django.urls import reverse

from imports import batches, jobs, reading
from imports.models import ImportJob, ImportRowError, JobStatus
from tests.imports.hostile import wide_header_row, write_xlsx
from tickets.models import Ticket

pytestmark = pytest.mark.django_db

HEADER = ["text", "channel"]


def _messages(count):
    return [[f"企业微信收不到验证码 第{i}条", "QQ"] for i in range(count)]


def test_a_nul_byte_in_a_later_row_of_a_csv_is_removed_and_every_row_imported(write_csv, run_file):
    rows = _messages(30)
    rows[24][0] = "企业微信\x00收不到验证码\x07 第24条"
    path = write_csv(rows, header=HEADER)

    summary = jobs.dry_run(path, batch_size=10)
    job = run_file(path, batch_size=10)

    assert job.status == JobStatus.DONE and job.created_count == 30
    assert (summary.created, summary.errors) == (job.created_count, job.error_count)
    texts = list(Ticket.objects.values_list("text", flat=True))
    assert "企业微信收不到验证码 第24条" in texts
    assert not any("\x00" in text or "\x07" in text for text in texts)


def test_excel_escaped_control_characters_are_decoded_then_removed(tmp_path, run_file):
    rows = [HEADER, ["企业微信<NUL>收不到验证码", "QQ"], ["行一_x000D_\n行二 验证码收不到", "QQ"]]
    job = run_file(write_xlsx(tmp_path / "nul.xlsx", rows))
    assert job.status == JobStatus.DONE and job.created_count == 2
    texts = sorted(Ticket.objects.values_list("text", flat=True))
    assert "企业微信收不到验证码" in texts
    assert not any("_x0000_" in text or "\x00" in text for text in texts)


def test_bad_bytes_in_an_error_excerpt_are_stored_without_them(write_csv, run_file):
    path = write_csv([["企业微信收不到验证码", "火星\x00渠道"]], header=HEADER)
    job = run_file(path)
    error = ImportRowError.objects.get(job=job)
    assert error.column == "channel" and error.value == "火星渠道"


def test_a_sheet_of_two_million_empty_rows_is_refused_in_seconds(tmp_path, run_file):
    path = write_xlsx(tmp_path / "empty-rows.xlsx", [HEADER, *_messages(2)], empty_rows=2_000_000)
    assert path.stat().st_size < 10_000_000

    started = time.monotonic()
    job = run_file(path)
    assert time.monotonic() - started < 60
    assert job.status == JobStatus.FAILED
    assert "200,000" in job.failure and "上限" in job.failure
    assert ImportRowError.objects.count() == 0


def test_the_row_limit_holds_while_streaming_when_the_file_hides_its_size(
    tmp_path, run_file, monkeypatch
):
    monkeypatch.setattr(reading, "MAX_ROWS", 50)
    monkeypatch.setattr(reading, "_count_rows", lambda xml, stop=None: 0)  # size hidden
    path = write_xlsx(tmp_path / "long.xlsx", [HEADER, *_messages(3)], empty_rows=500)
    job = run_file(path, batch_size=10)
    assert job.status == JobStatus.FAILED and "50" in job.failure
    assert job.rows_done == 50  # stopped at the limit, the rows before it imported
    assert Ticket.objects.count() == 3


def test_a_huge_shared_string_is_refused_before_it_is_loaded(tmp_path, run_file):
    # The file held one of 400 MB; 100 MB shows the same at a quarter of the cost.
    path = write_xlsx(
        tmp_path / "big-string.xlsx", [HEADER, *_messages(1)], shared_strings=["A" * 100_000_000]
    )
    assert path.stat().st_size < 1_000_000
    job = run_file(path)
    assert job.status == JobStatus.FAILED
    assert "95 MB" in job.failure and "64 MB" in job.failure


def test_a_header_of_a_million_columns_is_refused_not_stored(write_csv, run_file):
    path = write_csv([["企业微信收不到验证码", "QQ"]], header=wide_header_row(1_000_000))
    job = run_file(path)
    assert job.status == JobStatus.FAILED and "表头列数超过上限 100 列" in job.failure
    assert job.ignored_columns == []


def test_an_xlsx_header_as_wide_as_excel_allows_is_refused_too(tmp_path, run_file):
    job = run_file(write_xlsx(tmp_path / "wide.xlsx", [wide_header_row(16_384)]))
    assert job.status == JobStatus.FAILED and "表头列数超过上限 100 列" in job.failure
    assert job.ignored_columns == []


def test_a_broken_cell_reference_fails_the_file_with_a_message(tmp_path, run_file):
    job = run_file(write_xlsx(tmp_path / "broken.xlsx", [wide_header_row(20_000)]))
    assert job.status == JobStatus.FAILED and "格式损坏" in job.failure


def test_only_the_first_row_errors_are_stored_with_a_count_of_the_rest(
    write_csv, run_file, monkeypatch, client, desk
):
    monkeypatch.setattr(batches, "MAX_STORED_PROBLEMS", 25)
    path = write_csv([["", "QQ"]] * 60, header=HEADER)

    summary = jobs.dry_run(path, batch_size=10)
    job = run_file(path, batch_size=10)

    assert job.error_count == 60 and ImportRowError.objects.filter(job=job).count() == 25
    assert (len(summary.problems), summary.problems_dropped) == (25, 35)
    client.force_login(desk)
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "共 60 行有错误，只保存了前 25 条明细" in page


def test_the_dry_run_refuses_what_the_real_run_refuses(tmp_path):
    path = write_xlsx(tmp_path / "wide.xlsx", [wide_header_row(200)])
    with pytest.raises(reading.ImportFileError):
        jobs.dry_run(path)
    assert ImportJob.objects.count() == 0
