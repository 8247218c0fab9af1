"""The Home Office national CSP file as published, built by code, with every quirk it has.

The real file (`prc-csp-mar2021-mar2026-tables-DDMMYY.ods`, "Police recorded crime and outcomes
open data tables") is one ODS: a `Notes` sheet, then one sheet per financial year (`2021_22` …)
headed `PUBLICATION_HEADER`, one row per CSP × offence code × quarter. As LibreOffice saves it:

- counts are float cells: `office:value="1234"`, shown as `1,234` in the cell's text;
- identical neighbouring cells are one cell with `table:number-columns-repeated` (an offence
  group equal to its subgroup), identical neighbouring rows one row with
  `table:number-rows-repeated`;
- every row ends in an empty cell repeated to column XFD, and every sheet in an empty row
  repeated to row 1,048,576;
- runs of spaces are `<text:s text:c="n"/>`, tabs `<text:tab/>`;
- the Notes sheet: a title, `Updated: <date>`, a `Force Notes` section, an `Additional Notes`
  section.

API (rows are `PublicationRow`s; a sheet is `(name, rows)`):

- `publication_ods(sheets, notes=NOTES) -> bytes`, `write_publication_ods(file, sheets, notes)`
  streams into an open binary file (the benchmark writes a gigabyte this way);
- `publication_xlsx(sheets, notes=NOTES) -> bytes` and `publication_csv(rows) -> bytes`: the
  same tables saved as XLSX (Excel's way: counts as numbers) and as CSV (one table);
- `year_sheets(rows)` groups rows into the year sheets the publication has;
- `sample_rows(years)`: a small publication (Leicester, Nottingham and `Unassigned
  Leicestershire` × three offences × four quarters a year) with the quirks above, for tests
  that check sums: compute the expected figures from these rows, not from the reader.

Example: `publication_ods(year_sheets(sample_rows()))` is a two-year national file with Notes;
`publication_ods([])` a file of Notes only; `publication_ods(sheets, notes=None)` one without.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from dataclasses import astuple, dataclass
from itertools import groupby
from typing import BinaryIO
from xml.sax.saxutils import escape

PUBLICATION_HEADER = [
    "Financial Year", "Financial Quarter", "Police Force", "CSP Name", "Offence Description",
    "Offence Group", "Offence Subgroup", "Offence Code", "Offence Count",
]  # fmt: skip
NOTES = [
    ["Police recorded crime by Community Safety Partnership: year ending March 2022 to year "
     "ending March 2026"],
    ["Updated: 23 July 2026"],
    [],
    ["Force Notes"],
    ["Offences in Folkestone and Hythe were recorded under Unassigned Kent for the year "
     "ending March 2026"],
    ["Greater Manchester Police did not supply data for July to October 2019"],
    [],
    ["Additional Notes"],
    ["Counts of fewer than 5 offences are not suppressed."],
]  # fmt: skip
MAX_COLUMN, MAX_ROW = 16_384, 1_048_576  # XFD and the last row of a sheet
OFFICE = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" '
    'office:version="1.3"'
)
MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


@dataclass(frozen=True)
class PublicationRow:
    """One row of a year sheet: a CSP's count of one offence code in one quarter."""

    year: str  # `2021/22`
    quarter: int  # 1 = April–June … 4 = January–March
    force: str
    csp: str  # `Unassigned Kent` for offences the force could not place
    description: str
    group: str
    subgroup: str
    code: str
    count: int


def year_sheets(rows: Iterable[PublicationRow]) -> list[tuple[str, list[PublicationRow]]]:
    """Return the rows as the publication's sheets: one per financial year, `2021_22`."""
    return [
        (year.replace("/", "_"), list(part))
        for year, part in groupby(sorted(rows, key=lambda r: r.year), key=lambda r: r.year)
    ]


def _text(value: str) -> str:
    """Return cell text as LibreOffice writes it: space runs as <text:s>, tabs as <text:tab>."""
    out, index = [], 0
    while index < len(value):
        char = value[index]
        if char == "\t":
            out.append("<text:tab/>")
        elif char == " " and (index == 0 or value[index - 1] == " "):
            run = len(value[index:]) - len(value[index:].lstrip(" "))
            out.append(f'<text:s text:c="{run}"/>' if run > 1 else "<text:s/>")
            index += run
            continue
        else:
            out.append(escape(char))
        index += 1
    return "".join(out)


def _string_cell(value: str, repeat: int = 1) -> str:
    repeated = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    if value == "":
        return f"<table:table-cell{repeated}/>"
    return (
        f'<table:table-cell{repeated} office:value-type="string" calcext:value-type="string">'
        f"<text:p>{_text(value)}</text:p></table:table-cell>"
    )


def _float_cell(value: int | float, repeat: int = 1) -> str:
    repeated = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return (
        f'<table:table-cell{repeated} office:value-type="float" office:value="{value}" '
        f'calcext:value-type="float"><text:p>{value:,}</text:p></table:table-cell>'
    )


def _row_xml(cells: list[object], repeat: int = 1) -> str:
    """Return a row, identical neighbours merged and padded with empties to column XFD."""
    parts = []
    values = [(type(v), v) for v in cells]
    for (kind, value), run in ((key, len(list(g))) for key, g in groupby(values)):
        parts.append(_float_cell(value, run) if kind in (int, float) else _string_cell(value, run))
    parts.append(_string_cell("", MAX_COLUMN - len(cells)))
    repeated = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    return f'<table:table-row table:style-name="ro1"{repeated}>{"".join(parts)}</table:table-row>'


def _table_xml(name: str, rows: Iterable[list[object]]) -> Iterable[str]:
    yield f'<table:table table:name="{escape(name)}" table:style-name="ta1">'
    yield '<table:table-column table:number-columns-repeated="16384"/>'
    written = 0
    for row, run in ((tuple(key), len(list(g))) for key, g in groupby(rows, key=tuple)):
        yield _row_xml(list(row), run)
        written += run
    yield (
        f'<table:table-row table:number-rows-repeated="{MAX_ROW - written}">'
        f'<table:table-cell table:number-columns-repeated="{MAX_COLUMN}"/></table:table-row>'
    )
    yield "</table:table>"


def _data_rows(rows: Iterable[PublicationRow]) -> Iterable[list[object]]:
    yield PUBLICATION_HEADER
    for row in rows:
        yield list(astuple(row))


def write_publication_ods(
    file: BinaryIO,
    sheets: Iterable[tuple[str, Iterable[PublicationRow]]],
    notes: list[list[str]] | None = NOTES,
) -> None:
    """Stream the publication as an ODS into `file`; rows are never all held in memory."""
    with zipfile.ZipFile(file, "w") as archive:
        archive.writestr("mimetype", MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
            '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type='
            '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
            'manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            "</manifest:manifest>",
            compress_type=zipfile.ZIP_DEFLATED,
        )
        info = zipfile.ZipInfo("content.xml", date_time=(2026, 7, 23, 9, 30, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as content:
            buffer: list[str] = []
            size = 0

            def put(text: str) -> None:
                nonlocal size
                buffer.append(text)
                size += len(text)
                if size > 1 << 20:
                    content.write("".join(buffer).encode())
                    buffer.clear()
                    size = 0

            put('<?xml version="1.0" encoding="UTF-8"?>')
            put(f"<office:document-content {OFFICE}><office:body><office:spreadsheet>")
            if notes is not None:
                for part in _table_xml("Notes", notes):
                    put(part)
            for name, rows in sheets:
                for part in _table_xml(name, _data_rows(rows)):
                    put(part)
            put("</office:spreadsheet></office:body></office:document-content>")
            content.write("".join(buffer).encode())


def publication_ods(
    sheets: Iterable[tuple[str, Iterable[PublicationRow]]], notes: list[list[str]] | None = NOTES
) -> bytes:
    """Return the publication as ODS bytes (see the module's docstring for its quirks)."""
    buffer = io.BytesIO()
    write_publication_ods(buffer, sheets, notes)
    return buffer.getvalue()


def publication_xlsx(
    sheets: Iterable[tuple[str, Iterable[PublicationRow]]], notes: list[list[str]] | None = NOTES
) -> bytes:
    """Return the same tables saved as XLSX by Excel: counts as numbers (floats)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    if notes is not None:
        sheet = book.create_sheet("Notes")
        for line in notes:
            sheet.append(line)
    for name, rows in sheets:
        sheet = book.create_sheet(name)
        for values in _data_rows(rows):
            sheet.append([float(v) if isinstance(v, int) else v for v in values])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def publication_csv(rows: Iterable[PublicationRow]) -> bytes:
    """Return one year sheet (or all of them) saved as CSV, counts as `1,234` is not: `1234`."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(_data_rows(rows))
    return buffer.getvalue().encode("utf-8-sig")


# The offence codes of the small sample: (code, description, group, subgroup). Robbery's group
# equals its subgroup, so LibreOffice merges the two cells into one repeated cell.
SAMPLE_OFFENCES = [
    ("8N", "Assault with injury", "Violence against the person", "Violence with injury"),
    ("34B", "Robbery of personal property", "Robbery", "Robbery"),
    ("92A", "Trafficking in controlled  drugs", "Drug offences", "Trafficking of drugs"),
]
SAMPLE_PLACES = [
    ("Leicestershire", "Leicester"),
    ("Nottinghamshire", "Nottingham"),
    ("Leicestershire", "Unassigned Leicestershire"),
]


def sample_rows(years: Iterable[str] = ("2021/22", "2022/23")) -> list[PublicationRow]:
    """Return a small publication: every place × offence × quarter of each year.

    Quirks: an `Unassigned Leicestershire` place; the drug offences group spelled `Drug
    Offences` from the second year on; a description with two spaces running; Leicester's
    assaults in quarter 1 of the first year are 1,234 (shown `1,234` in the ODS cell).
    """
    rows = []
    for index, year in enumerate(years):
        for quarter in (1, 2, 3, 4):
            for force, csp in SAMPLE_PLACES:
                for number, (code, description, group, subgroup) in enumerate(SAMPLE_OFFENCES):
                    if index and group == "Drug offences":
                        group = "Drug Offences"
                    count = (len(csp) * 7 + number * 13 + quarter * 3 + index) % 50
                    if (index, quarter, csp, code) == (0, 1, "Leicester", "8N"):
                        count = 1234
                    rows.append(
                        PublicationRow(
                            year, quarter, force, csp, description, group, subgroup, code, count
                        )
                    )
    return rows
