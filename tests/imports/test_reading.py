"""Reading files: encodings, headers, XLSX, files that cannot be read or break off."""

from datetime import datetime

import pytest

from imports import reading
from imports.models import JobStatus
from tests.imports.samples import ROWS, SHANGHAI
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_each_encoding_lands_the_chinese_text_intact(write_csv, run_file, encoding):
    job = run_file(write_csv(ROWS, encoding=encoding))

    assert job.status == JobStatus.DONE
    assert job.created_count == 3
    assert set(Ticket.objects.values_list("text", flat=True)) == {row[0] for row in ROWS}
    assert job.encoding == encoding


def test_chinese_headers_are_recognised(write_csv, run_file):
    job = run_file(write_csv(ROWS, header=["内容", "渠道", "考生号", "学院", "联系方式", "时间"]))

    ticket = Ticket.objects.get(candidate_number="106147000000001")
    assert job.created_count == 3
    assert ticket.channel == "qq"
    assert ticket.college.code == "sice"
    assert ticket.contact_phone == "13812345678"
    assert ticket.created_at == datetime(2026, 3, 20, 14, 5, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    "content,message",
    [
        (b"", "空"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
        (b"PK\x03\x04 not really a zip", "XLSX"),
        ("渠道,考生号\nQQ,1\n".encode(), "text"),
        (b"text,channel\n\xff\xfe\xfa\x80\x81 abc,QQ\n" * 3, "编码"),
    ],
)
def test_an_unreadable_file_fails_with_a_reason_and_writes_nothing(
    tmp_path, run_file, content, message
):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    job = run_file(path)

    assert job.status == JobStatus.FAILED
    assert message in job.failure
    assert Ticket.objects.count() == 0


def test_xlsx_saved_without_its_size_still_gets_a_row_total(tmp_path, run_file):
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("messages")
    sheet.append(["text", "channel"])
    for i in range(25):
        sheet.append([f"企业微信收不到验证码 {i}", "QQ"])
    path = tmp_path / "streamed.xlsx"
    workbook.save(path)

    job = run_file(path)

    assert (job.rows_total, job.created_count) == (25, 25)


def test_a_file_that_breaks_off_keeps_the_rows_before_the_break(write_csv, run_file, monkeypatch):
    monkeypatch.setattr(reading, "CSV_FIELD_LIMIT", 1000)
    rows = [[f"企业微信收不到验证码 第{i}条", "QQ", "", "", "", ""] for i in range(5)]
    rows[3][4] = "9" * 2000  # row 5: bigger than the csv module will read
    job = run_file(write_csv(rows), batch_size=2)

    assert job.status == JobStatus.FAILED
    assert "第 5 行" in job.failure
    assert Ticket.objects.count() == 3
    assert job.rows_done == 3
