"""OpenDocument spreadsheets read as a stream: `content.xml` parsed incrementally, rows cleared.

The Home Office national file is about 1.4 GB of XML, so no document tree is ever built: the
zip member is decompressed in blocks (under the archive guards), fed to expat through
`XMLPullParser`, and each row is turned into text and dropped as soon as it ends.

What a cell holds (OpenDocument 1.3, part 3, §19.385 office:value-type and §9.1.4
table:table-cell): a float, percentage or currency cell's value is `office:value` (`1234`, whatever
its display `1,234` says); a date's is `office:date-value`; a string's is its `text:p` paragraphs,
where `text:s` (`text:c` spaces), `text:tab` and `text:line-break` stand for white space.
`table:number-columns-repeated` and `table:number-rows-repeated` repeat a cell or a row; empty
repeats (LibreOffice pads every row to column XFD and every sheet to row 1,048,576) cost
nothing, repeated content is counted against the limits before it is expanded.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element, ParseError, XMLPullParser

from crime_stats.importers.readers.archive import stream_member
from crime_stats.importers.readers.rows import MAX_CELL_CHARS, Limits, Row, UnreadableFile, cut

TABLE_NS = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE_NS = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
TEXT_NS = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE, ROW = TABLE_NS + "table", TABLE_NS + "table-row"
CELL, COVERED = TABLE_NS + "table-cell", TABLE_NS + "covered-table-cell"
# Rows may sit in these inside a table; each is cleared as its rows are read.
ROW_HOLDERS = {
    TABLE,
    *(TABLE_NS + n for n in ("table-header-rows", "table-row-group", "table-rows")),
}
NAME, ROWS_REPEATED = TABLE_NS + "name", TABLE_NS + "number-rows-repeated"
COLUMNS_REPEATED = TABLE_NS + "number-columns-repeated"
VALUE_TYPE, VALUE = OFFICE_NS + "value-type", OFFICE_NS + "value"
DATE_VALUE, BOOLEAN_VALUE = OFFICE_NS + "date-value", OFFICE_NS + "boolean-value"
TIME_VALUE = OFFICE_NS + "time-value"
P, S, TAB, LINE_BREAK = TEXT_NS + "p", TEXT_NS + "s", TEXT_NS + "tab", TEXT_NS + "line-break"
SPACES = TEXT_NS + "c"
NUMERIC = {"float", "percentage", "currency"}
FEED_BYTES = 16 * 1024
INTERNED = 100_000  # distinct cell texts shared between rows (CSP and offence names repeat)


def number_text(value: str) -> str:
    """Return a float cell's value as plain text: `1234.0` → `1234`, `1.5E-3` → `0.0015`."""
    if value.isdigit():
        return value
    try:
        number = Decimal(value)
    except InvalidOperation:
        return value
    if not number.is_finite():
        return value
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


def _paragraph(element: Element, parts: list[str]) -> None:
    if element.text:
        parts.append(element.text)
    for child in element:
        tag = child.tag
        if tag == S:
            parts.append(" " * int(child.get(SPACES) or 1))
        elif tag == TAB:
            parts.append("\t")
        elif tag == LINE_BREAK:
            parts.append("\n")
        else:  # text:span, text:a … hold text of their own; office:annotation is not a <p>
            _paragraph(child, parts)
        if child.tail:
            parts.append(child.tail)


def cell_text(cell: Element) -> str:
    """Return what a cell holds as text (its value for numbers and dates, else its paragraphs)."""
    kind = cell.get(VALUE_TYPE)
    if kind in NUMERIC:
        return number_text(cell.get(VALUE) or "")
    if kind == "date":
        value = cell.get(DATE_VALUE) or ""
        return value[:10] if value.endswith("T00:00:00") else value
    if kind == "boolean":
        return "TRUE" if cell.get(BOOLEAN_VALUE) == "true" else "FALSE"
    if kind == "time":
        return cell.get(TIME_VALUE) or ""
    paragraphs = [child for child in cell if child.tag == P]
    if len(paragraphs) == 1 and not len(paragraphs[0]):
        return paragraphs[0].text or ""
    texts = []
    for paragraph in paragraphs:
        parts: list[str] = []
        _paragraph(paragraph, parts)
        texts.append("".join(parts))
    return "\n".join(texts)


def _row_cells(row: Element, sheet: str, number: int, limits: Limits, seen: dict) -> list[str]:
    """Return a row's cells as text up to its last filled one (the hot loop: kept flat)."""
    cells: list[str] = []
    column = 0  # cells before this one, filled or not
    for cell in row:  # table:table-cell or table:covered-table-cell
        get = cell.get
        repeat = get(COLUMNS_REPEATED)
        repeat = int(repeat) if repeat else 1
        kind = get(VALUE_TYPE)
        if kind == "float":
            text = get(VALUE) or ""
            if not text.isdigit():
                text = number_text(text)
        elif kind == "string" and len(cell) == 1 and not len(cell[0]) and cell[0].tag == P:
            text = (cell[0].text or "").strip()
        elif kind is None and not len(cell):
            column += repeat
            continue
        else:
            text = cell_text(cell).strip()
        if text:
            if column + repeat > limits.columns:
                limits.column(column + repeat, sheet, number)
            if len(cells) < column:
                cells.extend([""] * (column - len(cells)))
            if len(text) > MAX_CELL_CHARS:
                text = cut(text)
            if len(seen) < INTERNED:
                text = seen.setdefault(text, text)
            if repeat == 1:
                cells.append(text)
            else:
                cells.extend([text] * repeat)
        column += repeat
    return cells


def _pieces(blocks: Iterator[bytes]) -> Iterator[bytes]:
    """Yield the blocks in FEED_BYTES slices: expat builds and queues less at a time, and
    measured 16 KB feeds at about half the CPU of 1 MB ones (bench/README.md)."""
    for block in blocks:
        for start in range(0, len(block), FEED_BYTES):
            yield block[start : start + FEED_BYTES]


def ods_rows(archive: zipfile.ZipFile, limits: Limits) -> Iterator[Row]:
    """Yield (sheet, row number, cells) for every row with content of every table, in order."""
    parser = XMLPullParser(events=("start", "end"))
    holders: list[Element] = []
    sheet, number, tables = "", 0, 0
    seen: dict[str, str] = {}
    try:
        for piece in _pieces(stream_member(archive, "content.xml")):
            parser.feed(piece)
            for event, element in parser.read_events():
                tag = element.tag
                if event == "start":
                    if tag in ROW_HOLDERS:
                        holders.append(element)
                        if tag == TABLE:
                            tables += 1
                            sheet, number = element.get(NAME) or f"Sheet{tables}", 0
                    continue
                if tag == ROW:
                    repeats = int(element.get(ROWS_REPEATED) or 1)
                    cells = _row_cells(element, sheet, number + 1, limits, seen)
                    if holders:
                        holders[-1].clear()
                    if cells:
                        limits.add(sheet, number + 1, len(cells), repeats)
                        for offset in range(1, repeats + 1):
                            yield sheet, number + offset, cells
                    number += repeats
                elif tag in ROW_HOLDERS:
                    holders.pop()
                    element.clear()
        parser.close()
    except ParseError as error:
        raise UnreadableFile(
            f"The spreadsheet's content is not well-formed XML ({error}): open it in "
            "LibreOffice and save it again."
        ) from error
