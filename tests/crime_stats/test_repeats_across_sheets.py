"""The same figure on two sheets of one workbook is a row problem, never a failed confirm."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from crime_stats.models import CrimeFigure, ImportBatch
from tests.crime_stats.import_files import plan_for, problem_texts, spreadsheet_bytes

pytestmark = pytest.mark.django_db

LONG = ["CSP", "Period", "Rate"]
WIDE = ["CSP", "2023/24"]


@pytest.mark.parametrize("engine", ["openpyxl", "odf"])
def test_a_long_row_repeated_on_another_sheet_is_reported_by_sheet_and_row(engine):
    content = spreadsheet_bytes(
        {
            "Leicester": [LONG, ["Leicester", "2023/24", "5"]],
            "Others": [LONG, ["Nottingham", "2023/24", "6"], ["Leicester", "2023/24", "7"]],
        },
        engine,
    )

    plan = plan_for(content)

    assert problem_texts(plan) == [
        "sheet Others, row 3: this row repeats Leicestershire - Leicester, "
        "April 2023–March 2024, All crime from sheet Leicester, row 2: keep one row for each "
        "CSP, period and category"
    ]
    assert not plan.can_commit


def test_a_wide_row_repeated_on_another_sheet_is_reported_by_sheet_and_row():
    content = spreadsheet_bytes(
        {"A": [WIDE, ["Leicester", "5"]], "B": [WIDE, ["Leicester", "5"]]}, "openpyxl"
    )

    assert problem_texts(plan_for(content)) == [
        "sheet B, row 2: this row repeats Leicestershire - Leicester, April 2023–March 2024, "
        "All crime from sheet A, row 2: keep one row for each CSP, period and category"
    ]


def test_uploading_repeats_across_sheets_is_rejected_at_preview_and_writes_nothing(
    client_for, admin
):
    content = spreadsheet_bytes(
        {"A": [LONG, ["Leicester", "2023/24", "5"]], "B": [LONG, ["Leicester", "2023/24", "7"]]},
        "openpyxl",
    )
    figures = CrimeFigure.objects.count()
    client = client_for(admin)

    response = client.post(
        reverse("data_upload"),
        {"file": SimpleUploadedFile("two-sheets.xlsx", content), "category": "All crime"},
    )

    batch = ImportBatch.objects.get(file_name="two-sheets.xlsx")
    assert response.status_code == 302
    assert batch.status == ImportBatch.Status.REJECTED
    assert batch.errors == [
        {
            "row": 2,
            "sheet": "B",
            "message": "this row repeats Leicestershire - Leicester, April 2023–March 2024, "
            "All crime from sheet A, row 2: keep one row for each CSP, period and category",
        }
    ]
    confirmed = client.post(reverse("data_confirm", args=[batch.pk]), follow=True)
    assert confirmed.status_code == 200  # refused with a message, not a server error
    assert "Only a previewed upload can be confirmed; this one is rejected." in (
        confirmed.content.decode()
    )
    assert CrimeFigure.objects.count() == figures
