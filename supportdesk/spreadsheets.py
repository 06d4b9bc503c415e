"""The one way the project writes CSV and XLSX files for people to open.

Every file holds text someone outside typed (a candidate through the API, a
spreadsheet upload), so no cell may become a formula: a text cell starting
with = + - @ TAB or CR gets a leading apostrophe in CSV (spreadsheets then show
it as text), and in XLSX is written as a typed string cell (never a formula)
with Excel's quote-prefix flag, so editing it keeps it text.

CSV is streamed in chunks of many rows (one chunk per row cost more than the
rows). XLSX: openpyxl's write-only workbook makes the file (styles, column
widths, frozen header, the zip), while the rows' XML is written here, straight
into the sheet's temporary file, as inline strings like openpyxl's own: its
cell object and element tree per value cost ~10 µs a cell. Neither format
holds the whole export in memory.
"""

import csv
import io
import math
import re
import tempfile
import zipfile
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from itertools import islice

from django.http import FileResponse, StreamingHttpResponse
from django.utils.functional import Promise

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_CHUNK_ROWS = 2000
XLSX_CHUNK_ROWS = 1000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_MAX_TEXT = 32767  # characters in one cell (Excel's limit; openpyxl cuts there too)


def neutral(value):
    """A CSV cell that no spreadsheet evaluates."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value


def neutral_row(row):
    return [neutral(v) for v in row]


def csv_lines(header, rows, *, chunk_rows=CSV_CHUNK_ROWS, text_columns=None):
    """UTF-8 text of a CSV with a byte-order mark (Excel on a Chinese Windows
    needs it), yielded `chunk_rows` rows at a time.

    `text_columns`: when given, the indexes of the only columns whose cells can
    hold outside text, which alone are checked for formula starts; the rows must
    then be lists (changed in place), and every other cell a number, None or a
    text the caller knows to be safe (a fixed label, a formatted time). By
    default every cell is checked."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(neutral_row(header))
    rows = iter(rows)
    while chunk := list(islice(rows, chunk_rows)):
        if text_columns is None:
            chunk = [neutral_row(row) for row in chunk]
        else:
            _neutralise(chunk, text_columns)
        writer.writerows(chunk)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()  # the header of an empty export


def _neutralise(rows, columns):
    starts = FORMULA_STARTS
    for row in rows:
        for i in columns:
            value = row[i]
            if value.__class__ is not str:
                if not isinstance(value, (str, Promise)):
                    continue  # a number, None
                value = row[i] = str(value)  # a choice, lazy text
            if value.startswith(starts):
                row[i] = "'" + value


def csv_response(header, rows, filename, *, text_columns=None):
    response = StreamingHttpResponse(
        csv_lines(header, rows, text_columns=text_columns),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_file(sheets):
    """A temporary file holding an XLSX of `sheets`: an iterable of
    (title, header, rows, widths) with widths in characters per column.
    Each sheet's header row is bold and frozen. Cells are text, numbers,
    booleans or None; None, "" and a float that is no number (nan, inf) leave
    the cell empty."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    used = set()
    for title, header, rows, widths in sheets:
        sheet = book.create_sheet(_sheet_name(title, used))
        for i, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = width
        sheet.freeze_panes = "A2"
        # The cell formats the rows refer to, registered in the workbook's styles.
        styles = []
        for font, quoted in ((None, False), (None, True), (bold, False), (bold, True)):
            cell = WriteOnlyCell(sheet)
            if font:
                cell.font = font
            cell.quotePrefix = quoted
            styles.append(cell.style_id)
        plain, quote, heading, heading_quote = styles
        # openpyxl writes the sheet's XML with no rows (views, columns, margins);
        # its file gets the rows here, and openpyxl zips it when the book is saved.
        sheet.close()
        _write_rows(sheet._writer.out, header, rows, (heading, heading_quote), (plain, quote))
    if not book.worksheets:
        book.create_sheet()  # a workbook needs one sheet
    out = tempfile.TemporaryFile()
    _save(book, out)
    out.seek(0)
    return out


def _save(book, out):
    """openpyxl's save_workbook, with zlib's fastest level: an export's sheet XML
    is compressed in 40% of the CPU of the default level, for a 15% larger file."""
    from openpyxl.writer.excel import ExcelWriter

    archive = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True, compresslevel=1)
    book.properties.modified = datetime.now(tz=UTC).replace(tzinfo=None)
    ExcelWriter(book, archive).save()


_SHEET_DATA = re.compile(rb"<sheetData\s*/>|<sheetData>\s*</sheetData>")


def _write_rows(path, header, rows, header_styles, styles):
    with open(path, "rb") as f:
        xml = f.read()
    found = _SHEET_DATA.search(xml)
    if found is None:  # an openpyxl that writes sheets differently
        raise RuntimeError("no empty <sheetData> in openpyxl's worksheet XML")
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(xml[: found.start()].decode("utf-8"))
        f.write("<sheetData>")
        f.write(_rows_xml([[str(value) for value in header]], 1, *header_styles))
        rows = iter(rows)
        number = 2
        while chunk := list(islice(rows, XLSX_CHUNK_ROWS)):
            f.write(_rows_xml(chunk, number, *styles))
            number += len(chunk)
        f.write("</sheetData>")
        f.write(xml[found.end() :].decode("utf-8"))


@cache
def _column_letters(count):
    from openpyxl.utils import get_column_letter

    return tuple(get_column_letter(i) for i in range(1, count + 1))


# Characters XML 1.0 cannot hold at all, and those that need escaping in text.
_XML_SPECIAL = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}


def _xml_escape(match):
    return _XML_ESCAPES.get(match.group(), "")  # characters XML cannot hold are dropped


def _plain(value):
    """A str, int or float for a subclass of one (a choice, a safe string),
    lazy text or a Decimal; other types (dates) the caller formats."""
    if isinstance(value, (str, Promise)):
        return str(value)
    if isinstance(value, int):  # an IntEnum (bool has no subclasses)
        return int(value)
    if isinstance(value, (float, Decimal)):
        return float(value)
    raise TypeError(f"an XLSX cell cannot hold {type(value).__name__}: {value!r}")


def _rows_xml(rows, number, plain, quote):
    """<row> elements of `rows`, the first numbered `number`; text cells as
    inline strings in style `plain`, or `quote` (quote prefix) when they start
    like a formula."""
    columns = _column_letters(max(map(len, rows)))
    starts = FORMULA_STARTS
    special = _XML_SPECIAL.search
    escape = _XML_SPECIAL.sub
    plain = f' s="{plain}"' if plain else ""
    quote = f' s="{quote}"'
    out = []
    add = out.append
    for row in rows:
        add(f'<row r="{number}">')
        for column, value in zip(columns, row, strict=False):  # columns >= cells
            kind = value.__class__
            if kind is not str:
                if value is None:
                    continue
                if kind is not int and kind is not float and kind is not bool:
                    value = _plain(value)
                    kind = value.__class__
                if kind is not str:
                    if kind is bool:
                        add(f'<c r="{column}{number}"{plain} t="b"><v>{int(value)}</v></c>')
                    elif kind is int or math.isfinite(value):
                        add(f'<c r="{column}{number}"{plain}><v>{value!r}</v></c>')
                    continue  # nan and inf: no number a spreadsheet holds
            if not value:
                continue
            if len(value) > XLSX_MAX_TEXT:
                value = value[:XLSX_MAX_TEXT]
            style = quote if value.startswith(starts) else plain
            space = ' xml:space="preserve"' if value.strip() != value else ""
            if special(value):
                value = escape(_xml_escape, value)
            add(f'<c r="{column}{number}"{style} t="inlineStr"><is><t{space}>{value}</t></is></c>')
        add("</row>")
        number += 1
    return "".join(out)


def xlsx_response(sheets, filename):
    return FileResponse(
        xlsx_file(sheets), as_attachment=True, filename=filename, content_type=XLSX_TYPE
    )


def _sheet_name(title, used):
    # Excel sheet titles: at most 31 characters, unique, none of []:*?/\
    name = "".join(ch for ch in str(title) if ch not in "[]:*?/\\")[:31] or "sheet"
    while name in used:
        name = name[:29] + str(len(used))
    used.add(name)
    return name


def width_of(values, *, least=6, most=60):
    """A column width for these values: wide characters count double."""
    longest = 0
    for value in values:
        text = "" if value is None else str(value)
        longest = max(longest, sum(2 if ord(ch) > 0x2E80 else 1 for ch in text))
    return max(least, min(most, longest + 2))
