"""Reading an import file: CSV (UTF-8, UTF-8 with BOM, UTF-16, GB18030) or XLSX,
one row at a time, and which column is which.

Memory stays flat whatever the file size: the csv module and openpyxl's
read-only mode (which keeps only an XLSX file's table of distinct strings)
hand over one row at a time.
"""

from __future__ import annotations

import codecs
import csv
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from django.utils.translation import gettext as _
from openpyxl.utils.escape import unescape

from tickets.cleaning import strip_controls

# Limits a file must keep, checked while it is read (before anything is
# loaded where the file format allows it), so a hostile or broken file fails
# fast with a message instead of tying up a worker for minutes.
MAX_ROWS = 200_000  # data rows per file (the bench's 100,000 with room to spare)
MAX_COLUMNS = 100  # header cells up to the last non-empty one
# The csv module refuses longer fields; a bigger cell than this is a broken file.
CSV_FIELD_LIMIT = 4 * 1024 * 1024
# openpyxl's read-only mode still loads an XLSX file's whole table of distinct
# strings: its uncompressed size is checked before opening the workbook.
XLSX_MAX_SHARED_STRINGS_BYTES = 64 * 1024 * 1024
EXCERPT_CHARS = 80

# Header aliases, compared after `_norm_header` (NFKC, lower case, no spaces or
# punctuation, no bracketed notes such as "（必填）").
HEADER_ALIASES = {
    "text": [
        "text",
        "message",
        "content",
        "内容",
        "问题",
        "原话",
        "考生原话",
        "留言",
        "消息",
        "消息内容",
        "问题描述",
        "咨询内容",
        "描述",
    ],
    "channel": ["channel", "source", "渠道", "来源", "来源渠道", "咨询渠道"],
    "candidate_number": [
        "candidatenumber",
        "candidateno",
        "examno",
        "考生号",
        "考生编号",
        "考号",
        "准考证号",
    ],
    "college": ["college", "school", "学院", "报考学院", "院系", "所在学院"],
    "contact": [
        "contact",
        "phone",
        "email",
        "联系方式",
        "联系电话",
        "电话",
        "手机",
        "手机号",
        "邮箱",
    ],
    "created_at": [
        "createdat",
        "time",
        "date",
        "datetime",
        "timestamp",
        "时间",
        "日期",
        "创建时间",
        "发送时间",
        "提交时间",
        "留言时间",
        "咨询时间",
    ],
    "candidate_name": ["candidatename", "name", "姓名", "考生姓名"],
}


class ImportFileError(Exception):
    """The whole file cannot be read (not a row problem). The message is for the user."""


def _norm_header(value) -> str:
    text = unicodedata.normalize("NFKC", strip_controls(str(value or ""))).strip().lower()
    text = re.sub(r"\(.*?\)", "", text)
    return re.sub(r"[\s_\-*:.]", "", text)


_HEADER_LOOKUP = {
    _norm_header(alias): column for column, aliases in HEADER_ALIASES.items() for alias in aliases
}


def _trimmed(cells: list) -> list:
    """The header without its trailing empty cells (formatted but unused columns)."""
    end = len(cells)
    while end and cell_text(cells[end - 1]) == "":
        end -= 1
    return cells[:end]


def map_header(cells) -> tuple[dict[str, int], list[str]]:
    """Column name -> index, and the headers that were ignored."""
    cells = _trimmed(list(cells))
    if len(cells) > MAX_COLUMNS:
        raise ImportFileError(
            _("表头列数超过上限 %(max)d 列：请删去多余的列后再导入。") % {"max": MAX_COLUMNS}
        )
    mapping: dict[str, int] = {}
    ignored = []
    for index, cell in enumerate(cells):
        column = _HEADER_LOOKUP.get(_norm_header(cell))
        if column and column not in mapping:
            mapping[column] = index
        elif text := cell_text(cell):
            ignored.append(text[:EXCERPT_CHARS])
    if "text" not in mapping:
        raise ImportFileError(
            _("第 1 行（表头）没有“text / 内容”列。表头应包含：%(columns)s。")
            % {"columns": "text, channel, candidate_number, college, contact, created_at"}
        )
    return mapping, ignored


@dataclass
class RowSource:
    file_format: str
    encoding: str
    header: list
    rows: Iterator[tuple[int, list]]  # (spreadsheet row number, cells)
    rows_total: int | None
    close: Callable[[], None] = lambda: None


def detect_encoding(path: Path) -> tuple[str, int]:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030; and the line count.

    Decodes the whole file once, incrementally: a GB18030 byte deep in the
    file must not be found only after half of it was imported.
    """
    with open(path, "rb") as f:
        head = f.read(4)
    if head.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        decoder = codecs.getincrementaldecoder(encoding)()
        lines = 0
        try:
            with open(path, "rb") as f:
                while chunk := f.read(1 << 20):
                    decoder.decode(chunk)
                    lines += chunk.count(b"\n")
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding, lines
    raise ImportFileError(_("无法识别文件编码：请另存为 UTF-8 或 GB18030 编码的 CSV，或 XLSX。"))


def _csv_rows(path: Path) -> RowSource:
    encoding, lines = detect_encoding(path)
    csv.field_size_limit(CSV_FIELD_LIMIT)
    f = open(path, encoding=encoding, newline="")  # noqa: SIM115 -- closed by RowSource.close
    first = f.readline()
    if "\x00" in first:
        f.close()
        raise ImportFileError(_("这不是文本格式的 CSV 文件。"))
    delimiter = max([",", "\t", ";"], key=first.count)
    f.seek(0)
    reader = csv.reader(f, delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        f.close()
        raise ImportFileError(_("文件是空的。")) from None
    except csv.Error as exc:
        f.close()
        raise ImportFileError(_("第 1 行无法读取：%(error)s") % {"error": exc}) from None

    def rows():
        number = 1
        try:
            for cells in reader:
                number += 1
                yield number, cells
        except csv.Error as exc:
            raise ImportFileError(
                _("第 %(row)d 行起文件格式损坏（%(error)s）；此前的行已处理。")
                % {"row": number + 1, "error": exc}
            ) from None

    total = max(lines - 1, 0) if encoding != "utf-16" else None
    return RowSource("csv", encoding, header, rows(), total, f.close)


def _count_rows(xml, stop: int | None = None) -> int:
    """`<row>` elements in a worksheet's XML stream, read in 1 MB chunks (stops past `stop`)."""
    count, tail = 0, b""
    while chunk := xml.read(1 << 20):
        data = tail + chunk
        count += data.count(b"<row ") + data.count(b"<row>")
        count += data.count(b":row ") + data.count(b":row>")
        count -= tail.count(b"<row ") + tail.count(b"<row>")
        count -= tail.count(b":row ") + tail.count(b":row>")
        tail = data[-5:]
        if stop is not None and count > stop:
            break
    return count


def _count_xlsx_rows(path: Path, sheet) -> int | None:
    """Rows of a sheet saved without its size (write-only exporters), for the progress bar."""
    member = getattr(sheet, "_worksheet_path", None)
    if not member:
        return None
    try:
        with zipfile.ZipFile(path) as archive, archive.open(member.lstrip("/")) as xml:
            count = _count_rows(xml)
    except (KeyError, zipfile.BadZipFile, OSError):
        return None
    return count or None


# What openpyxl raises on a malformed sheet (bad cell reference, broken XML, truncated zip).
XLSX_ROW_ERRORS = (ValueError, KeyError, TypeError, SyntaxError, zipfile.BadZipFile, OSError)


def _broken_from(row: int, exc: Exception) -> ImportFileError:
    return ImportFileError(
        _("第 %(row)d 行起文件格式损坏（%(error)s）；此前的行已处理。")
        % {"row": row, "error": str(exc)[:200]}
    )


def _unescape(cell):
    """Excel writes characters XML cannot hold as `_x000D_`; openpyxl leaves them so."""
    if isinstance(cell, str) and "_x" in cell:
        return unescape(cell)
    return cell


def _check_xlsx_sizes(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            strings = sum(
                info.file_size
                for info in archive.infolist()
                if info.filename.lower().lstrip("/").endswith("sharedstrings.xml")
            )
            # openpyxl reads a sheet without a stated size whole just to open
            # the workbook (2,000,000 empty rows: half a minute): count first.
            sheets = [
                info.filename
                for info in archive.infolist()
                if re.fullmatch(r"/?xl/worksheets/[^/]+\.xml", info.filename, re.IGNORECASE)
            ]
            longest = 0
            for name in sheets:
                with archive.open(name) as xml:
                    longest = max(longest, _count_rows(xml, stop=MAX_ROWS + 1))
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportFileError(_("XLSX 文件无法打开（%(error)s）。") % {"error": exc}) from None
    if longest > MAX_ROWS + 1:  # the header row and MAX_ROWS data rows
        raise _too_many_rows()
    if strings > XLSX_MAX_SHARED_STRINGS_BYTES:
        raise ImportFileError(
            _("XLSX 文件中的文字共 %(size)d MB（解压后），超过上限 %(max)d MB：请拆分后分批导入。")
            % {"size": strings // 2**20, "max": XLSX_MAX_SHARED_STRINGS_BYTES // 2**20}
        )


def _xlsx_rows(path: Path) -> RowSource:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    _check_xlsx_sizes(path)
    # A file object, not the path: openpyxl judges a path by its extension.
    handle = open(path, "rb")  # noqa: SIM115 -- closed by RowSource.close
    try:
        workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        handle.close()
        raise ImportFileError(_("XLSX 文件无法打开（%(error)s）。") % {"error": exc}) from None
    sheet = workbook.active or workbook.worksheets[0]
    # Cells right of the column limit (the header) or of the header's last
    # column (the data) are never built: a row may hold a million cells.
    try:
        header = next(sheet.iter_rows(max_row=1, max_col=MAX_COLUMNS + 1, values_only=True), None)
    except XLSX_ROW_ERRORS as exc:
        workbook.close()
        handle.close()
        raise _broken_from(1, exc) from None
    if header is None:
        workbook.close()
        handle.close()
        raise ImportFileError(_("文件是空的。"))
    header = _trimmed([_unescape(cell) for cell in header])
    iterator = sheet.iter_rows(min_row=2, max_col=max(len(header), 1), values_only=True)
    rows_in_sheet = sheet.max_row or _count_xlsx_rows(path, sheet)
    total = rows_in_sheet - 1 if rows_in_sheet else None

    def rows():
        number = 1
        try:
            for number, cells in enumerate(iterator, start=2):
                yield number, [_unescape(cell) for cell in cells]
        except XLSX_ROW_ERRORS as exc:
            raise _broken_from(number + 1, exc) from None

    def close():
        workbook.close()
        handle.close()

    return RowSource("xlsx", "", header, rows(), total, close)


def _too_many_rows() -> ImportFileError:
    return ImportFileError(
        _("文件超过 %(max)s 行的上限：请拆分后分批导入。") % {"max": f"{MAX_ROWS:,}"}
    )


def _limited(rows: Iterator[tuple[int, list]]) -> Iterator[tuple[int, list]]:
    """Stops at the row limit while streaming: a file may not say how long it is."""
    for count, row in enumerate(rows, start=1):
        if count > MAX_ROWS:
            raise _too_many_rows()
        yield row


def open_rows(path) -> RowSource:
    """The file's header and rows (within the limits), its kind judged by its first bytes."""
    source = _open_rows(path)
    if source.rows_total is not None and source.rows_total > MAX_ROWS:
        source.close()
        raise _too_many_rows()
    source.rows = _limited(source.rows)
    return source


def _open_rows(path) -> RowSource:
    path = Path(path)
    try:
        with open(path, "rb") as f:
            magic = f.read(8)
    except OSError as exc:
        raise ImportFileError(
            _("文件无法读取：%(error)s") % {"error": exc.strerror or exc}
        ) from None
    if magic.startswith(b"PK\x03\x04"):
        return _xlsx_rows(path)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(_("不支持旧版 .xls 格式：请在 Excel 中另存为 .xlsx 或 CSV。"))
    if not magic:
        raise ImportFileError(_("文件是空的。"))
    return _csv_rows(path)


def cell_text(value) -> str:
    """A cell as a person reads it: an XLSX number 106147000000009.0 without its ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    return strip_controls(str(value)).strip()
