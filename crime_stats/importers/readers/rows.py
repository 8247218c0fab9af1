"""From a stream of spreadsheet rows to `Sheet`s of text chunks, capped as it streams.

Every format reader (ODS, XLSX) yields `(sheet name, row number, cells)` for the rows that hold
something, trailing empty cells dropped. Here the first such row of a sheet becomes its header
and the rest come in DataFrame chunks; rows, cells and columns are counted against `Limits`
before anything is expanded, so a small file that claims a million repeated rows or a cell in
column XFD is refused at once instead of filling memory.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import pandas as pd
from django.conf import settings

CHUNK_ROWS = 200_000
MAX_COLUMNS = 1_000  # the widest real table (a year of monthly periods per CSP) has < 200
MAX_ROW_REPEATS = 1_000  # identical rows in a row: a table of figures has none
MAX_CELL_CHARS = 1_000  # a longer cell is cut to QUOTE_CHARS, so no message can quote more
QUOTE_CHARS = 100

Row = tuple[str, int, list[str]]  # sheet name, spreadsheet row number (from 1), cells


class UnreadableFile(ValueError):
    """A file that cannot be read at all; its message says what to do.

    `row` and `sheet` say where, when the trouble is at one row (an unclosed quote in a CSV).
    """

    def __init__(self, message: str, *, row: int | None = None, sheet: str = "") -> None:
        super().__init__(message)
        self.row = row
        self.sheet = sheet


@dataclass
class Sheet:
    """One table of the file: its header cells and its data rows as text (row 2 onwards).

    Sheets of a spreadsheet come one after another from one stream: read a sheet's chunks
    before asking for the next sheet (rows left unread are skipped).
    """

    name: str
    header: list[str]
    chunks: Iterator[pd.DataFrame]  # columns numbered 0…n-1; index = spreadsheet row number
    header_row: int = 1


CUT_MARK = re.compile(r"… \(([\d,]+) characters\)$")


def original_length(text: str) -> int:
    """Return how long a cell was before `cut` shortened it."""
    mark = CUT_MARK.search(text)
    return int(mark.group(1).replace(",", "")) if mark else len(text)


def cut(text: str) -> str:
    """Return a cell's text, cut to its first QUOTE_CHARS characters when absurdly long."""
    if len(text) <= MAX_CELL_CHARS:
        return text
    return f"{text[:QUOTE_CHARS]}… ({len(text):,} characters)"


@dataclass
class Limits:
    """What one file may expand to: rows, cells (non-empty), columns and repeated rows."""

    rows: int = field(default_factory=lambda: getattr(settings, "IMPORT_MAX_ROWS", 2_000_000))
    cells: int = field(default_factory=lambda: getattr(settings, "IMPORT_MAX_CELLS", 25_000_000))
    columns: int = MAX_COLUMNS
    rows_seen: int = 0
    cells_seen: int = 0

    def column(self, column: int, sheet: str, row: int) -> None:
        """Refuse a cell with content in a column (numbered from 1) past the limit."""
        if column > self.columns:
            raise UnreadableFile(
                f"Sheet {sheet!r}, row {row:,} has a cell in column {column:,}; at most "
                f"{self.columns:,} columns are accepted. Delete what lies right of the table "
                "and save the file again."
            )

    def add(self, sheet: str, row: int, cells: int, repeats: int = 1) -> None:
        """Count `repeats` rows of `cells` non-empty cells; refuse past any limit."""
        if repeats > MAX_ROW_REPEATS:
            raise UnreadableFile(
                f"Sheet {sheet!r}, row {row:,} is repeated {repeats:,} times; a table of "
                f"figures has no run of more than {MAX_ROW_REPEATS:,} identical rows. Check the "
                "sheet and save it again."
            )
        self.count(sheet, row, repeats, cells * repeats)

    def count(self, sheet: str, row: int, rows: int, cells: int) -> None:
        """Count `rows` rows holding `cells` cells in all; refuse past the row or cell limit."""
        self.rows_seen += rows
        self.cells_seen += cells
        if self.rows_seen > self.rows:
            raise UnreadableFile(
                f"The file has more than {self.rows:,} rows (sheet {sheet!r} reaches row "
                f"{row:,}): split it, for example one file per financial year."
            )
        if self.cells_seen > self.cells:
            raise UnreadableFile(
                f"The file has more than {self.cells:,} filled cells (sheet {sheet!r}, row "
                f"{row:,}): split it, for example one file per financial year."
            )


class _Peekable:
    def __init__(self, rows: Iterator[Row]) -> None:
        self._rows = rows
        self._head: Row | None = None

    def peek(self) -> Row | None:
        if self._head is None:
            self._head = next(self._rows, None)
        return self._head

    def take(self) -> Row:
        row = self.peek()
        self._head = None
        assert row is not None
        return row


def _chunks(rows: _Peekable, sheet: str, width: int) -> Iterator[pd.DataFrame]:
    numbers: list[int] = []
    table: list[list[str]] = []
    while (head := rows.peek()) is not None and head[0] == sheet:
        _, number, cells = rows.take()
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        numbers.append(number)
        table.append(cells[:width])
        if len(table) >= CHUNK_ROWS:
            yield pd.DataFrame(table, index=numbers, columns=range(width), dtype=object)
            numbers, table = [], []
    if table:
        yield pd.DataFrame(table, index=numbers, columns=range(width), dtype=object)


def sheets_from_rows(rows: Iterator[Row]) -> Iterator[Sheet]:
    """Yield the sheets of a row stream, each headed by its first row with content."""
    source = _Peekable(rows)
    while source.peek() is not None:
        name, number, header = source.take()
        width = len(header)
        yield Sheet(name, list(header), _chunks(source, name, width), header_row=number)
        while (left := source.peek()) is not None and left[0] == name:
            source.take()  # the reader moved on: skip what it left of this sheet
