"""Reading an uploaded file into tables of text, safely: size limits, zip guards, encodings.

The file's name is never trusted: its kind is told from its bytes (an XLSX or ODS file is a zip
archive with known members; anything else is read as CSV text). Every cell is read as text and
nothing in the file is evaluated: formulas in a spreadsheet are read as their cached values,
never computed, and no macro or external link is followed.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd
from django.conf import settings

CSV, XLSX, ODS = "csv", "xlsx", "ods"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
CHUNK_ROWS = 200_000
MAX_COLUMNS = 1_000  # the widest real table (a year of monthly periods per CSP) has < 200
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


class UnreadableFile(ValueError):
    """A file that cannot be read at all; its message says what to do."""


@dataclass
class Sheet:
    """One table of the file: its header cells and its data rows as text (row 2 onwards)."""

    name: str
    header: list[str]
    chunks: Iterator[pd.DataFrame]  # columns numbered 0…n-1; index = spreadsheet row number


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.1f} MB"


def check_size(size: int) -> None:
    """Raise UnreadableFile when a file is larger than IMPORT_MAX_UPLOAD_BYTES."""
    limit = settings.IMPORT_MAX_UPLOAD_BYTES
    if size > limit:
        raise UnreadableFile(
            f"The file is {_megabytes(size)}; the limit is {_megabytes(limit)}. "
            "Split it (for example one file per financial year) and load each part."
        )


def sniff_kind(content: bytes) -> str:
    """Return `xlsx`, `ods` or `csv` from the file's bytes, checking archives before opening."""
    if not content.startswith(b"PK\x03\x04"):
        return CSV
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as error:
        raise UnreadableFile(
            "The file looks like a spreadsheet archive but is damaged: "
            "open it in Excel or LibreOffice and save it again."
        ) from error
    # Zip bombs: refuse before decompressing anything.
    if len(members) > settings.IMPORT_MAX_ARCHIVE_MEMBERS:
        raise UnreadableFile(
            f"The spreadsheet holds {len(members):,} parts; at most "
            f"{settings.IMPORT_MAX_ARCHIVE_MEMBERS:,} are accepted. Save it as CSV and load that."
        )
    unpacked = sum(member.file_size for member in members)
    if unpacked > settings.IMPORT_MAX_UNCOMPRESSED_BYTES:
        raise UnreadableFile(
            f"The spreadsheet unpacks to {_megabytes(unpacked)}; the limit is "
            f"{_megabytes(settings.IMPORT_MAX_UNCOMPRESSED_BYTES)}. Save it as CSV and load that."
        )
    names = {member.filename for member in members}
    if "xl/workbook.xml" in names:
        return XLSX
    if "mimetype" in names and archive.read("mimetype").strip() == ODS_MIMETYPE:
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
    longest = max((len(cell) for cell in header), default=0)
    if longest > MAX_HEADER_CELL:
        raise UnreadableFile(
            f"A heading in the header row is {longest:,} characters long; at most "
            f"{MAX_HEADER_CELL:,} are accepted. Check the first row holds the column headings."
        )


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
    text = str(value).strip()
    return text[:-2] if text.endswith(".0") and text[:-2].isdigit() else text


def _csv_sheets(content: bytes, name: str) -> list[Sheet]:
    encoding = detect_encoding(content)
    # The delimiter of the header line is used for the whole file (`;` files exist).
    first_line = content.lstrip().split(b"\n", 1)[0]
    separator = ";" if first_line.count(b";") > first_line.count(b",") else ","
    try:
        head = pd.read_csv(
            io.BytesIO(content),
            header=None,
            nrows=1,
            dtype=str,
            encoding=encoding,
            sep=separator,
            keep_default_na=False,
        )
    except pd.errors.EmptyDataError as error:
        raise UnreadableFile("The file is empty: it has no header row and no data.") from error
    except (pd.errors.ParserError, UnicodeDecodeError, csv.Error) as error:
        raise UnreadableFile(
            f"The file cannot be read as CSV ({error}): save it from Excel or LibreOffice "
            "as CSV, XLSX or ODS."
        ) from error
    header = [_text(cell) for cell in head.iloc[0].tolist()]
    check_header(header)
    # Blank lines before the header shift every row number; count them once.
    skipped = len(content) - len(content.lstrip())
    first_row = content[:skipped].count(b"\n") + 2

    def chunks() -> Iterator[pd.DataFrame]:
        try:
            reader = pd.read_csv(
                io.BytesIO(content),
                header=None,
                skiprows=first_row - 1,
                dtype=str,
                encoding=encoding,
                sep=separator,
                keep_default_na=False,
                skip_blank_lines=False,
                chunksize=CHUNK_ROWS,
                names=range(len(header)),
            )
            start = first_row
            for chunk in reader:
                chunk.index = range(start, start + len(chunk))
                start += len(chunk)
                chunk = chunk.fillna("")
                yield chunk[(chunk != "").any(axis=1)]
        except pd.errors.EmptyDataError:
            return
        except (pd.errors.ParserError, csv.Error) as error:
            raise UnreadableFile(
                f"The file cannot be read as CSV: {error}. Check that every row has as many "
                "cells as the header row."
            ) from error

    return [Sheet(name=name, header=header, chunks=chunks())]


def _spreadsheet_sheets(content: bytes, kind: str) -> list[Sheet]:
    engine = "openpyxl" if kind == XLSX else "odf"
    try:
        # Cached cell values only: openpyxl and odfpy never compute formulas.
        frames = pd.read_excel(
            io.BytesIO(content), sheet_name=None, header=None, dtype=str, engine=engine
        )
    except Exception as error:  # openpyxl and odfpy raise many kinds for a damaged file
        raise UnreadableFile(
            f"The spreadsheet cannot be read ({type(error).__name__}): open it in Excel or "
            "LibreOffice, save it again as XLSX, ODS or CSV, and load that."
        ) from error
    sheets = []
    for sheet_name, frame in frames.items():
        frame = frame.dropna(how="all")
        if frame.empty:
            continue
        header = [_text(cell) for cell in frame.iloc[0].tolist()]
        check_header(header)
        body = frame.iloc[1:].map(_text)
        body.columns = range(len(header))
        # read_excel numbers rows from 0 with blank leading rows dropped; a spreadsheet from 1.
        body.index = [int(index) + 1 for index in body.index]
        sheets.append(Sheet(name=str(sheet_name), header=header, chunks=iter([body])))
    return sheets


def read_sheets(content: bytes, name: str = "", file_name: str = "") -> list[Sheet]:
    """Return the file's tables of text; raises UnreadableFile with what to do about it.

    The kind is told from the bytes; `file_name`, when given, must not say another kind.
    """
    check_size(len(content))
    if not content.strip():
        raise UnreadableFile("The file is empty: it has no header row and no data.")
    kind = sniff_kind(content)
    if kind == CSV:
        check_text(content)  # first, so an image named .xlsx is called an image
    check_kind_matches_name(kind, file_name)
    if kind == CSV:
        return _csv_sheets(content, name)
    sheets = _spreadsheet_sheets(content, kind)
    if not sheets:
        raise UnreadableFile("The spreadsheet is empty: every sheet is blank.")
    return sheets
