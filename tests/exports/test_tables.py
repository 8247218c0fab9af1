import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from exports.tables import csv_response, neutralise, xlsx_response

HOSTILE = ["=1+1", "+44 116", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]


@pytest.mark.parametrize("text", HOSTILE)
def test_text_that_a_spreadsheet_would_run_is_neutralised(text):
    assert neutralise(text) == "'" + text


def test_numbers_and_ordinary_text_are_left_alone():
    assert neutralise(Decimal("-3.5")) == Decimal("-3.5")
    assert neutralise(-2) == -2
    assert neutralise("Leicestershire - Leicester") == "Leicestershire - Leicester"


def test_csv_download_escapes_formulas_and_keeps_numbers():
    response = csv_response("table", ["CSP", "Change"], [['=HYPERLINK("x")', Decimal("-7.9")]])
    assert response["Content-Disposition"] == 'attachment; filename="table.csv"'
    text = response.content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text))) == [["CSP", "Change"], ['\'=HYPERLINK("x")', "-7.9"]]


def test_xlsx_download_escapes_formulas_and_keeps_numbers():
    response = xlsx_response(
        "table", ["CSP", "Change"], [["@cmd", Decimal("-7.9")], ["Luton", None]]
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["CSP", "Change"],
        ["'@cmd", -7.9],
        ["Luton", None],
    ]
    assert sheet["B2"].data_type == "n"
