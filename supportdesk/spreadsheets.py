"""The one way the project writes CSV and XLSX files for people to open.

Every file holds text someone outside typed (a candidate through the API, a
spreadsheet upload), so no cell may become a formula: a text cell starting
with = + - @ TAB or CR gets a leading apostrophe in CSV (spreadsheets then show
it as text), and in XLSX is written as a typed string cell (never a formula)
with Excel's quote-prefix flag, so editing it keeps it text.

CSV is streamed in chunks of many rows (one chunk per row cost more than the
rows); XLSX goes through openpyxl's write-only mode into a temporary file that
is streamed back, so neither holds the whole export in memory.
"""

import csv
import io
import tempfile

from django.http import FileResponse, StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_CHUNK_ROWS = 2000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutral(value):
    """A CSV cell that no spreadsheet evaluates."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value


def neutral_row(row):
    return [neutral(v) for v in row]


def csv_lines(header, rows, *, chunk_rows=CSV_CHUNK_ROWS):
    """UTF-8 text of a CSV with a byte-order mark (Excel on a Chinese Windows
    needs it), yielded `chunk_rows` rows at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(neutral_row(header))
    pending = 0
    for row in rows:
        writer.writerow(neutral_row(row))
        pending += 1
        if pending >= chunk_rows:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    yield buffer.getvalue()


def csv_response(header, rows, filename):
    response = StreamingHttpResponse(
        csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_file(sheets):
    """A temporary file holding an XLSX of `sheets`: an iterable of
    (title, header, rows, widths) with widths in characters per column.
    Each sheet's header row is bold and frozen."""
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

        def text_cell(value, sheet=sheet):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"  # never "f", whatever the text starts with
            cell.quotePrefix = True
            return cell

        heading = []
        for value in header:
            cell = WriteOnlyCell(sheet, value=str(value))
            cell.font = bold
            heading.append(cell)
        sheet.append(heading)
        for row in rows:
            # An empty string is no cell at all (openpyxl's writer costs ~10 µs a cell).
            sheet.append(
                [
                    (text_cell(v) if v.startswith(FORMULA_STARTS) else v or None)
                    if isinstance(v, str)
                    else v
                    for v in row
                ]
            )
    out = tempfile.TemporaryFile()
    book.save(out)
    out.seek(0)
    return out


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
