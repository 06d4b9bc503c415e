"""Hand-built XLSX files of the kinds the issue measured: written straight as
XML into the zip, so a 2,000,000-row sheet costs a few hundred KB and seconds."""

import zipfile
from xml.sax.saxutils import escape

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
</Types>"""
RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"""
WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>"""
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def column_name(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _xml_text(text: str) -> bytes:
    # "<NUL>" in a test's text becomes Excel's own escape of a NUL character.
    return escape(text).replace("&lt;NUL&gt;", "_x0000_").encode()


def write_xlsx(path, rows, *, empty_rows=0, dimension=None, shared_strings=()):
    """rows: lists of cell texts, stored as shared strings like Excel does
    ("<NUL>" is written as Excel's `_x0000_`). shared_strings: extra strings in
    the table (e.g. one of 400 MB). empty_rows: that many `<row r=".."/>` after
    the rows. A `dimension` (e.g. "A1:B2000001") is written when given."""
    table = [text for cells in rows for text in cells]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/sharedStrings.xml", "w") as strings:
            strings.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            for text in [*table, *shared_strings]:
                strings.write(b"<si><t>")
                for start in range(0, len(text), 1 << 20):
                    strings.write(_xml_text(text[start : start + (1 << 20)]))
                strings.write(b"</t></si>")
            strings.write(b"</sst>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(SHEET_HEAD.encode())
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>")
            number, string_index = 0, 0
            for number, cells in enumerate(rows, start=1):
                sheet.write(f'<row r="{number}">'.encode())
                for index in range(len(cells)):
                    ref = f"{column_name(index)}{number}"
                    sheet.write(f'<c r="{ref}" t="s"><v>{string_index}</v></c>'.encode())
                    string_index += 1
                sheet.write(b"</row>")
            chunk = []
            for extra in range(number + 1, number + 1 + empty_rows):
                chunk.append(f'<row r="{extra}"/>')
                if len(chunk) == 10000:
                    sheet.write("".join(chunk).encode())
                    chunk = []
            sheet.write("".join(chunk).encode())
            sheet.write(b"</sheetData></worksheet>")
    return path


def wide_header_row(columns: int) -> list[str]:
    return ["text", "channel", *[f"c{i}" for i in range(columns - 2)]]
