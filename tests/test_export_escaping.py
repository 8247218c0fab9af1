"""Downloads never hand a spreadsheet a formula: text that starts with =, +, -, @, tab or CR
is neutralised in every CSV and Excel export, whoever typed it."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from actions.models import Action
from crime_stats.models import CSP, ComparisonGroup, CrimeFigure, GroupMembership, ReportingPeriod

pytestmark = pytest.mark.django_db
HOSTILE = [
    '=HYPERLINK("http://evil.example","x")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1)",
    "\tTabbed",
    "\rReturned",
]


def csv_cells(response) -> list[str]:
    rows = csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
    return [cell for row in rows for cell in row]


def xlsx_cells(response) -> list:
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [cell.value for row in sheet.iter_rows() for cell in row]


@pytest.mark.parametrize("text", HOSTILE)
def test_action_titles_are_neutralised_in_the_tracker_exports(client_for, chair, text):
    action = Action.objects.get(title="Weapons amnesty bins")
    action.title = text
    action.save()
    client = client_for(chair)
    tracker = reverse("actions:tracker")
    assert "'" + text in csv_cells(client.get(tracker, {"format": "csv"}))
    # XML turns a stored carriage return into a line feed; the apostrophe still leads.
    visible = text.strip()
    (cell,) = [
        c
        for c in xlsx_cells(client.get(tracker, {"format": "xlsx"}))
        if isinstance(c, str) and visible in c
    ]
    assert cell.startswith("'") and cell.endswith(visible)
    assert text not in csv_cells(client.get(tracker, {"format": "csv"}))


def test_csp_names_are_neutralised_in_the_comparison_exports(client_for, chair):
    csp = CSP.objects.create(force="=Force", name="@Name")
    group = ComparisonGroup.objects.get()
    GroupMembership.objects.create(group=group, csp=csp, valid_from=datetime.date(2016, 4, 1))
    CrimeFigure.objects.create(
        csp=csp, period=ReportingPeriod.objects.get(slug="apr-dec-2018"), rate=Decimal("80")
    )
    client = client_for(chair)
    comparison = reverse("comparison")
    assert "'=Force - @Name" in csv_cells(client.get(comparison, {"format": "csv"}))
    cells = xlsx_cells(client.get(comparison, {"format": "xlsx"}))
    assert "'=Force - @Name" in cells
    # Negative changes stay numbers, not neutralised text.
    assert any(isinstance(cell, float) and cell < 0 for cell in cells)
