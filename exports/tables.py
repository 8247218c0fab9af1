"""CSV and Excel downloads of a table, safe to open in a spreadsheet.

A cell that starts with `=`, `+`, `-`, `@` (or their full-width forms), a tab or a carriage
return is a formula to Excel and LibreOffice; text cells that start so are prefixed with an
apostrophe, so a figure or a
narrative typed by a user can never run as a formula (OWASP "CSV injection"). Numbers stay
numbers: a negative change is written as a number, not as text.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Spreadsheets read the full-width forms (U+FF1D, U+FF0B, U+FF0D, U+FF20) as their ASCII
# cousins when a cell is typed or imported, so they start formulas too.
FULL_WIDTH_STARTS = ("\uff1d", "\uff0b", "\uff0d", "\uff20")
# Bidirectional embedding, override and isolate controls reorder what a cell shows
# ("Safe \u202egnp.exe" reads "Safe exe.png"): dropped, so the cell shows its real order.
BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Cell = str | int | float | Decimal | datetime.date | None


def neutralise(value: Cell) -> Cell:
    """Return the value, with text that a spreadsheet would run as a formula made inert and
    text that would display reordered shown in its real order."""
    if not isinstance(value, str):
        return value
    value = value.translate(BIDI_CONTROLS)
    if value.startswith(FORMULA_STARTS + FULL_WIDTH_STARTS):
        return "'" + value
    return value


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Cell]]
) -> HttpResponse:
    """Return a UTF-8 CSV download (with a BOM, so Excel reads the £ and – correctly)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow(["" if cell is None else neutralise(cell) for cell in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Cell]], sheet: str = "Data"
) -> HttpResponse:
    """Return an Excel workbook download with one sheet: a bold header row, then the rows."""
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet[:31]
    worksheet.append([neutralise(h) for h in header])
    for cell in worksheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        worksheet.append([_xlsx_cell(cell) for cell in row])
    worksheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def _xlsx_cell(value: Cell) -> Cell:
    if isinstance(value, Decimal):
        return float(value)
    return neutralise(value)
