"""The XLSX writer: rows written as sheet XML inside openpyxl's write-only
workbook. Whatever a cell holds, the file opens with the same cells, text stays
text, and memory does not grow with the rows."""

import io
import math
import tracemalloc
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from supportdesk import spreadsheets


def read_back(header, rows, widths=(10, 10, 10)):
    with spreadsheets.xlsx_file([("表", header, rows, widths)]) as f:
        return load_workbook(io.BytesIO(f.read()))["表"]


def test_cells_keep_their_types_and_text_stays_text():
    sheet = read_back(
        ["=标题", "数", "文"],
        [
            [1, 2.5, "中文 & <b>"],
            [None, "", "=1+1"],
            [True, math.nan, "  两端空格 \r\n"],
            [-7, 10**15, "+8613812345678"],
            [Decimal("0.25"), math.inf, gettext_lazy("新建")],
        ],
    )
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values == [
        ["=标题", "数", "文"],
        [1, 2.5, "中文 & <b>"],
        [None, None, "=1+1"],
        [True, None, "  两端空格 \r\n"],
        [-7, 10**15, "+8613812345678"],
        [0.25, None, "新建"],
    ]
    assert sheet["A1"].font.b and sheet["A1"].quotePrefix and sheet["A1"].data_type == "s"
    assert not sheet["A2"].font.b and sheet["C3"].quotePrefix and sheet["C3"].data_type == "s"
    assert sheet["C5"].quotePrefix and not sheet["C2"].quotePrefix
    assert sheet["A4"].data_type == "b" and sheet["B2"].data_type == "n"


def test_characters_xml_cannot_hold_are_dropped_not_fatal():
    # openpyxl refused these (IllegalCharacterError): one such text failed the export.
    sheet = read_back(["文"], [["考生\x01原话\x0b\x1f\ufffe"], ["第二行\t制表"]], (10,))
    assert sheet["A2"].value == "考生原话" and sheet["A3"].value == "第二行\t制表"


def test_a_text_is_cut_at_excels_limit():
    sheet = read_back(["文"], [["长" * 40_000]], (10,))
    assert sheet["A2"].value == "长" * spreadsheets.XLSX_MAX_TEXT


def test_memory_does_not_grow_with_the_rows():
    def rows(count):
        for i in range(count):
            yield [i, f"第{i}行", f"{i:08d} 考生的原话，每行不同，" * 8]

    def peak(count):
        tracemalloc.start()
        try:
            spreadsheets.xlsx_file([("表", ["id", "名", "文"], rows(count), (8, 8, 60))]).close()
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    peak(10)  # first-time imports
    small, large = peak(2_000), peak(20_000)
    # 20,000 rows hold ~8 MB of text.
    assert large < small * 1.5 + 500_000, (small, large)


def test_a_date_is_for_the_caller_to_format():
    import datetime

    with pytest.raises(TypeError, match="date"):
        read_back(["日"], [[datetime.date(2026, 12, 1)]], (10,))


def test_csv_checks_the_text_columns_it_is_told_of_whatever_their_type():
    from django.utils.safestring import mark_safe

    rows = [[1, "=not checked: a label", mark_safe("=safe"), gettext_lazy("新建"), None]]
    text = "".join(spreadsheets.csv_lines(["a", "b", "c", "d", "e"], rows, text_columns=(2, 3, 4)))
    assert text.splitlines()[1] == "1,=not checked: a label,'=safe,新建,"
    rows = [[1, "=x", "@y"]]
    assert "".join(spreadsheets.csv_lines(["a", "=b", "c"], rows)).splitlines() == [
        "\ufeffa,'=b,c",
        "1,'=x,'@y",
    ]
