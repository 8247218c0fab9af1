"""Reading an uploaded file into tables of text, safely: size limits, zip guards, encodings.

The file's name is never trusted: its kind is told from its bytes (an XLSX or ODS file is a zip
archive with known members; anything else is read as CSV text). Every cell is read as text and
nothing in the file is evaluated: formulas in a spreadsheet are read as their cached values,
never computed, and no macro or external link is followed.

Each format is read as a stream (`ods`, `xlsx`, `delimited`), so a national file of a million
rows never exists whole in memory; rows, cells and columns are capped as they stream (`rows`).
`read_sheets` checks what can be checked up front and returns the sheets lazily: a problem met
later (a cap reached in the third sheet, an unclosed quote) is raised as `UnreadableFile` while
the sheets or their chunks are read.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from django.conf import settings

from crime_stats.importers.readers.archive import (
    ArchiveRefused,
    megabytes,
    open_archive,
    read_member,
)
from crime_stats.importers.readers.delimited import csv_sheet, detect_encoding
from crime_stats.importers.readers.ods import ods_rows
from crime_stats.importers.readers.rows import (
    CHUNK_ROWS,
    MAX_COLUMNS,
    Limits,
    Sheet,
    UnreadableFile,
    original_length,
    sheets_from_rows,
)
from crime_stats.importers.readers.xlsx import xlsx_rows

__all__ = [
    "CHUNK_ROWS",
    "MAX_COLUMNS",
    "ArchiveRefused",
    "Sheet",
    "UnreadableFile",
    "check_size",
    "detect_encoding",
    "read_sheets",
    "safe_file_name",
    "sniff_kind",
]

CSV, XLSX, ODS = "csv", "xlsx", "ods"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
MAX_HEADER_CELL = 200  # characters; a longer heading is not a heading, and errors echo them
KIND_NAMES = {CSV: "CSV", XLSX: "Excel (XLSX)", ODS: "OpenDocument (ODS)"}
# Binary formats people save by mistake, told by their first bytes, so the error can name them.
BINARY_SIGNATURES = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF": "a PDF document",
    b"\xd0\xcf\x11\xe0": "an old Excel 97-2003 (.xls) workbook",
    b"\x1f\x8b": "a gzip archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
    b"Rar!": "a RAR archive",
}


def check_size(size: int) -> None:
    """Raise UnreadableFile when a file is larger than IMPORT_MAX_UPLOAD_BYTES."""
    limit = settings.IMPORT_MAX_UPLOAD_BYTES
    if size > limit:
        raise UnreadableFile(
            f"The file is {megabytes(size)}; the limit is {megabytes(limit)}. "
            "Split it (for example one file per financial year) and load each part."
        )


def sniff_kind(content: bytes) -> str:
    """Return `xlsx`, `ods` or `csv` from the file's bytes, checking archives before opening."""
    if not content.startswith(b"PK\x03\x04"):
        return CSV
    archive = open_archive(content)  # zip bombs: refused before anything is decompressed
    names = set(archive.namelist())
    if "xl/workbook.xml" in names:
        return XLSX
    if "mimetype" in names and read_member(archive, "mimetype").strip() == ODS_MIMETYPE:
        return ODS
    raise UnreadableFile(
        "The file is an archive but not an Excel (XLSX) or OpenDocument (ODS) spreadsheet: "
        "save it as XLSX, ODS or CSV."
    )


def safe_file_name(name: str) -> str:
    """Return the base name of an uploaded file's name, without paths or control characters.

    The name comes from the user's browser or command line and is only ever a label: any
    directory part (either slash) is dropped and invisible or control characters (a NUL byte,
    a right-to-left override) are removed so the name shows as what it is.
    """
    base = re.split(r"[\\/]", name)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return base[:255] if base not in ("", ".", "..") else "upload"


def check_kind_matches_name(kind: str, name: str) -> None:
    """Raise UnreadableFile when the file's name says one kind and its bytes another.

    The bytes decide how the file is read; a name that disagrees means the wrong file was
    chosen or it was renamed, so it is refused rather than read as something unexpected.
    """
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension in KIND_NAMES and extension != kind:
        article = "an" if KIND_NAMES[kind][0] in "AEIOU" else "a"
        raise UnreadableFile(
            f"The file is named .{extension} but its content is {article} {KIND_NAMES[kind]} "
            "file: check it is the file you meant, and save it from Excel or LibreOffice as "
            f"{KIND_NAMES[extension]} if so."
        )


def check_text(content: bytes) -> None:
    """Raise UnreadableFile when bytes that are not a spreadsheet archive are not text either."""
    for signature, what in BINARY_SIGNATURES.items():
        if content.startswith(signature):
            raise UnreadableFile(
                f"The file is {what}, not a table of figures: load a CSV, XLSX or ODS file."
            )
    if b"\x00" in content[: 1 << 20] or b"\x00" in content[-(1 << 20) :]:
        raise UnreadableFile(
            "The file is not text: it holds NUL bytes, so it is not a CSV file. "
            "Load a CSV, XLSX or ODS file saved from Excel or LibreOffice."
        )


def check_header(header: list[str]) -> None:
    """Raise UnreadableFile when a header row is too wide or has headings too long to be real."""
    if len(header) > MAX_COLUMNS:
        raise UnreadableFile(
            f"The header row has {len(header):,} columns; at most {MAX_COLUMNS:,} are accepted. "
            "Check the file is a table of crime figures with its header in the first row."
        )
    longest = max((original_length(cell) for cell in header), default=0)
    if longest > MAX_HEADER_CELL:
        raise UnreadableFile(
            f"A heading in the header row is {longest:,} characters long; at most "
            f"{MAX_HEADER_CELL:,} are accepted. Check the first row holds the column headings."
        )


def _checked(sheets: Iterator[Sheet]) -> Iterator[Sheet]:
    for sheet in sheets:
        check_header(sheet.header)
        yield sheet


def read_sheets(content: bytes, name: str = "", file_name: str = "") -> Iterator[Sheet]:
    """Return the file's tables of text, one after another; raises UnreadableFile.

    The kind is told from the bytes; `file_name`, when given, must not say another kind. The
    first sheet is read before this returns (so an empty or unreadable file is refused here);
    later ones as they are asked for.
    """
    check_size(len(content))
    if not content.strip():
        raise UnreadableFile("The file is empty: it has no header row and no data.")
    kind = sniff_kind(content)
    if kind == CSV:
        check_text(content)  # first, so an image named .xlsx is called an image
    check_kind_matches_name(kind, file_name)
    limits = Limits()
    if kind == CSV:
        sheets: Iterator[Sheet] = iter([csv_sheet(content, name, limits)])
    else:
        archive = open_archive(content)
        rows = ods_rows(archive, limits) if kind == ODS else xlsx_rows(archive, content, limits)
        sheets = sheets_from_rows(rows)
    sheets = _checked(sheets)
    first = next(sheets, None)
    if first is None:
        raise UnreadableFile("The spreadsheet is empty: every sheet is blank.")
    return _then(first, sheets)


def _then(first: Sheet, rest: Iterator[Sheet]) -> Iterator[Sheet]:
    yield first
    yield from rest
