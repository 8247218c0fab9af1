"""CSV files read in chunks of text with pandas' C parser, capped as they stream."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator

import pandas as pd

from crime_stats.importers.readers.rows import (
    CHUNK_ROWS,
    MAX_CELL_CHARS,
    Limits,
    Sheet,
    UnreadableFile,
    cut,
)

UNCLOSED_QUOTE = re.compile(r"EOF inside string starting at row (\d+)")


def detect_encoding(content: bytes) -> str:
    """Return `utf-8-sig` when the bytes are UTF-8 (with or without BOM), else `cp1252`."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(content)
    try:
        # Decode in slices so a 100 MB file never exists twice in memory as text.
        for offset in range(0, len(content), 1 << 20):
            decoder.decode(view[offset : offset + (1 << 20)])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252"  # what Excel writes for "CSV (Comma delimited)" on Windows
    return "utf-8-sig"


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return cut(str(value).strip())


def _cut_long_cells(chunk: pd.DataFrame) -> pd.DataFrame:
    for column in chunk.columns:
        long = chunk[column].str.len() > MAX_CELL_CHARS
        if long.any():
            chunk.loc[long, column] = chunk.loc[long, column].map(cut)
    return chunk


def csv_sheet(content: bytes, name: str, limits: Limits) -> Sheet:
    """Return the one table of a CSV file: header from its first line, rows in chunks."""
    encoding = detect_encoding(content)
    # The delimiter of the header line is used for the whole file (`;` files exist).
    first_line = content.lstrip().split(b"\n", 1)[0]
    separator = ";" if first_line.count(b";") > first_line.count(b",") else ","
    options = {
        "header": None,
        "dtype": str,
        "encoding": encoding,
        "sep": separator,
        "keep_default_na": False,
    }
    try:
        head = pd.read_csv(io.BytesIO(content), nrows=1, **options)
    except pd.errors.EmptyDataError as error:
        raise UnreadableFile("The file is empty: it has no header row and no data.") from error
    except (pd.errors.ParserError, UnicodeDecodeError, csv.Error) as error:
        raise UnreadableFile(
            f"The file cannot be read as CSV ({cut(str(error))}): save it from Excel or "
            "LibreOffice as CSV, XLSX or ODS."
        ) from error
    header = [_text(cell) for cell in head.iloc[0].tolist()]
    # Blank lines before the header shift every row number; count them once.
    skipped = len(content) - len(content.lstrip())
    first_row = content[:skipped].count(b"\n") + 2

    def chunks() -> Iterator[pd.DataFrame]:
        start = first_row
        try:
            reader = pd.read_csv(
                io.BytesIO(content),
                skiprows=first_row - 1,
                skip_blank_lines=False,
                chunksize=CHUNK_ROWS,
                names=range(len(header)),
                **options,
            )
            for chunk in reader:
                chunk.index = range(start, start + len(chunk))
                start += len(chunk)
                chunk = _cut_long_cells(chunk.fillna(""))
                chunk = chunk[(chunk != "").any(axis=1)]
                if len(chunk):
                    limits.count(name, int(chunk.index[-1]), len(chunk), chunk.size)
                yield chunk
        except pd.errors.EmptyDataError:
            return
        except (pd.errors.ParserError, csv.Error) as error:
            unclosed = UNCLOSED_QUOTE.search(str(error))
            if unclosed:
                row = int(unclosed.group(1)) + 1
                raise UnreadableFile(
                    'this row opens a quoted cell (") that is never closed, so the rest of '
                    "the file would be read as one cell: close the quote or remove it",
                    row=row,
                ) from error
            raise UnreadableFile(
                f"The file cannot be read as CSV: {cut(str(error))}. Check that every row has "
                "as many cells as the header row."
            ) from error

    return Sheet(name=name, header=header, chunks=chunks())
