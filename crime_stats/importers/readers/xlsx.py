"""Excel workbooks read with python-calamine, after a streaming scan that bounds what it builds.

Chosen by measurement (bench/README.md): on a 120,010-row × 9-column sheet, openpyxl's
read-only mode took 35.8 s and 48 MB, python-calamine 2.9 s and 112 MB. Calamine holds one
sheet at a time as a dense block from its first to its last used cell, so a 16 KB file with a
cell in column XFD (or at row 1,048,576 and column XFD) would ask it for billions of cells.
Every worksheet is therefore first streamed (under the archive guards, counting the bytes really
decompressed) and each cell's position checked against the limits before calamine opens it.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from collections.abc import Iterator

from crime_stats.importers.readers.archive import stream_member
from crime_stats.importers.readers.ods import number_text
from crime_stats.importers.readers.rows import Limits, Row, UnreadableFile, cut

MAX_SHEET_AREA = 12_000_000  # rows × columns calamine may hold for one sheet (~400 MB)
CELL_REF = re.compile(rb"<(?:\w+:)?c\b[^>]*?\br=\"([A-Z]{1,3})([0-9]{1,7})\"")
ANY_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")


def column_number(letters: bytes) -> int:
    """Return the column number of `A` (1) … `XFD` (16,384)."""
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _scan(archive: zipfile.ZipFile, member: str, limits: Limits) -> None:
    """Stream one worksheet's XML and refuse it when its cells would not fit the limits."""
    first_row = first_column = 10**9
    last_row = last_column = cells = unplaced = 0
    carry = b""
    for block in stream_member(archive, member):
        data = carry + block
        end = data.rfind(b">") + 1
        data, carry = data[:end], data[end:]
        refs = CELL_REF.findall(data)
        unplaced += len(ANY_CELL.findall(data)) - len(refs)
        if not refs:
            continue
        cells += len(refs)
        columns = {letters for letters, _ in refs}
        widest = max(columns, key=lambda c: (len(c), c))
        narrowest = min(columns, key=lambda c: (len(c), c))
        last_column = max(last_column, column_number(widest))
        first_column = min(first_column, column_number(narrowest))
        rows = [int(refs[0][1]), int(refs[-1][1])]
        first_row, last_row = min(first_row, *rows), max(last_row, *rows)
        if last_column > limits.columns:
            raise UnreadableFile(
                f"A sheet of the workbook ({member}) has a cell in column {last_column:,}; at "
                f"most {limits.columns:,} columns are accepted. Delete what lies right of the "
                "table and save the file again."
            )
    if unplaced:
        raise UnreadableFile(
            f"The workbook's part {member!r} has {unplaced:,} cells without a position: open "
            "it in Excel or LibreOffice and save it again."
        )
    if cells and (last_row - first_row + 1) * (last_column - first_column + 1) > MAX_SHEET_AREA:
        raise UnreadableFile(
            f"A sheet of the workbook spans rows {first_row:,}–{last_row:,} and columns "
            f"{first_column:,}–{last_column:,}: more than {MAX_SHEET_AREA:,} cells. Delete "
            "what lies outside the table, or split it, and save it again."
        )


def _text(value: object) -> str:
    if isinstance(value, float):
        return number_text(repr(value))
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, datetime.date | datetime.time | datetime.datetime):
        return value.isoformat()
    return cut(str(value).strip())


def xlsx_rows(archive: zipfile.ZipFile, content: bytes, limits: Limits) -> Iterator[Row]:
    """Yield (sheet, row number, cells) for every row with content of every worksheet."""
    from python_calamine import CalamineWorkbook

    for member in archive.namelist():
        if member.startswith("xl/worksheets/") and member.endswith(".xml"):
            _scan(archive, member, limits)
    for member in ("xl/sharedStrings.xml", "xl/workbook.xml"):
        if member in archive.namelist():
            for _ in stream_member(archive, member):
                pass  # counted against the guards before calamine unpacks it
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(content))
        for name in book.sheet_names:
            sheet = book.get_sheet_by_name(name)
            offset = sheet.start[1] if sheet.start else 0
            for index, values in enumerate(sheet.iter_rows()):
                if values.count("") == len(values):
                    continue  # calamine fills the rows between used ones: cheap to skip
                cells = [_text(value) for value in values]
                while cells and not cells[-1]:
                    cells.pop()
                if not cells:
                    continue
                limits.add(name, index + 1, sum(1 for cell in cells if cell))
                yield name, index + 1, [""] * offset + cells
    except UnreadableFile:
        raise
    except Exception as error:  # calamine raises several kinds for a damaged workbook
        raise UnreadableFile(
            f"The workbook cannot be read ({type(error).__name__}): open it in Excel or "
            "LibreOffice, save it again as XLSX, ODS or CSV, and load that."
        ) from error
