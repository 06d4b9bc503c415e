"""Report downloads: no formula survives, times read as the desk's minutes,
the XLSX has a frozen header and sized columns."""

import csv
import io

import openpyxl
import pytest

from reports import display, exports
from reports.periods import iso_week
from reports.services import store_weekly_report

pytestmark = pytest.mark.django_db
HOSTILE = "=cmd|' /C calc'!A0"


@pytest.fixture
def data(week47):
    report = display.localized(store_weekly_report(period=iso_week("2026-W47")).data)
    # A phrase of the candidates' own words, as the "other" table lists them.
    report["other_phrases"].insert(0, {"phrase": HOSTILE, "count": 9})
    return report


def test_report_csv_neutralises_formulas(data):
    rows = list(csv.reader(io.StringIO(exports.to_csv(data).decode("utf-8-sig"))))
    assert ["'" + HOSTILE, "9"] in rows
    assert not any(cell.startswith("=") for row in rows for cell in row)


def test_report_xlsx_cells_are_text_and_readable(data):
    book = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(data)))
    phrases = book["“其他”类高频短语"]
    assert phrases["A2"].value == HOSTILE and phrases["A2"].data_type == "s"
    waiting = book["未结升级工单"]
    assert waiting.freeze_panes == "A2" and waiting["A1"].font.b
    created = [row[3] for row in waiting.iter_rows(min_row=2, values_only=True)]
    assert created == ["2026-11-18 10:00", "2026-11-19 10:00"]
    categories = {row[1] for row in waiting.iter_rows(min_row=2, values_only=True)}
    assert "other" not in categories
    assert waiting.column_dimensions["B"].width > 6
