"""The Home Office national file as published, read as a stream: every row exactly, in ODS,
XLSX and CSV; the Notes sheet as notes, not data."""

import datetime

import pytest

from crime_stats.importers import ImportOptions, parse_file
from crime_stats.importers.notes import parse_notes
from crime_stats.importers.readers import read_sheets
from tests.crime_stats.publication_files import (
    PUBLICATION_HEADER,
    publication_csv,
    publication_ods,
    publication_xlsx,
    sample_rows,
    year_sheets,
)

ROWS = sample_rows()


def _expected(rows) -> list[list[str]]:
    return [
        [r.year, str(r.quarter), r.force, r.csp, r.description, r.group, r.subgroup, r.code,
         str(r.count)]
        for r in rows
    ]  # fmt: skip


def _read(content: bytes) -> dict[str, tuple[list[str], list[int], list[list[str]]]]:
    """Return sheet name -> (header, row numbers, rows) as the reader yields them."""
    tables = {}
    for sheet in read_sheets(content):
        numbers, rows = [], []
        for chunk in sheet.chunks:
            numbers += chunk.index.tolist()
            rows += chunk.to_numpy().tolist()
        tables[sheet.name] = (sheet.header, numbers, rows)
    return tables


@pytest.mark.parametrize("save", [publication_ods, publication_xlsx])
def test_a_spreadsheet_yields_exactly_the_rows_of_each_year_sheet(save):
    tables = _read(save(year_sheets(ROWS)))

    assert list(tables) == ["Notes", "2021_22", "2022_23"]
    for name, rows in year_sheets(ROWS):
        header, numbers, cells = tables[name]
        assert header == PUBLICATION_HEADER
        assert numbers == list(range(2, len(rows) + 2))  # spreadsheet rows, header is row 1
        assert cells == _expected(rows)
    # The quirks: a float cell shown `1,234`, two spaces running, group merged with subgroup.
    first = tables["2021_22"][2]
    assert first[0][8] == "1234"
    assert "Trafficking in controlled  drugs" in {row[4] for row in first}
    assert {row[5] for row in tables["2022_23"][2]} >= {"Drug Offences", "Robbery"}
    total = sum(int(row[8]) for _, _, cells in list(tables.values())[1:] for row in cells)
    assert total == sum(r.count for r in ROWS) == 3_172


def test_the_same_table_as_csv_yields_the_same_rows():
    (sheet,) = read_sheets(publication_csv(ROWS), name="national.csv")
    rows = [row for chunk in sheet.chunks for row in chunk.to_numpy().tolist()]

    assert sheet.header == PUBLICATION_HEADER
    assert rows == _expected(ROWS)


def test_the_notes_sheet_is_not_data_and_its_notes_are_kept(db):
    parsed = parse_file(publication_ods(year_sheets(ROWS)), ImportOptions())

    assert parsed.format == "ons"  # the Notes sheet first no longer stops layout detection
    assert parsed.not_data_sheets == ["Notes"]
    assert parsed.rows_read == len(ROWS)
    notes = parsed.publication_notes
    assert notes.title.startswith("Police recorded crime by Community Safety Partnership")
    assert notes.updated == datetime.date(2026, 7, 23)
    assert notes.force_notes == [
        "Offences in Folkestone and Hythe were recorded under Unassigned Kent for the year "
        "ending March 2026",
        "Greater Manchester Police did not supply data for July to October 2019",
    ]
    assert notes.additional_notes == ["Counts of fewer than 5 offences are not suppressed."]
    assert any("'Notes'" in note and "not tables of figures" in note for note in parsed.notes)


def test_a_file_of_notes_only_says_it_has_no_table(db):
    parsed = parse_file(publication_ods([]), ImportOptions())

    assert [str(p) for p in parsed.problems] == [
        "file: the file has no table of figures: its sheets (Notes) hold notes or titles, not "
        "a header row of columns. Load the file with the figures"
    ]


@pytest.mark.parametrize(
    ("lines", "updated"),
    [
        (["Title", "Updated: 23/07/2026"], datetime.date(2026, 7, 23)),
        (["Title", "Updated: 2026-07-23"], datetime.date(2026, 7, 23)),  # a date cell beside it
        (["Title", "Last updated 1st August 2026"], datetime.date(2026, 8, 1)),
        (["Title", "Updated: soon", "Force Notes"], None),
    ],
)
def test_the_updated_date_is_read_as_written(lines, updated):
    assert parse_notes("Notes", lines).updated == updated


def test_a_cover_sheet_is_not_data_but_has_no_notes():
    assert (
        parse_notes("Cover", ["Police recorded crime", "Contact: crimestats@example.org"]) is None
    )


def test_the_national_ods_previews_on_the_upload_page_with_its_notes_sheet_as_not_data(
    client_for, admin
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from crime_stats.models import ImportBatch
    from tests.crime_stats.import_files import POPULATION

    content = publication_ods(year_sheets(ROWS))
    response = client_for(admin).post(
        reverse("data_upload"),
        {
            "file": SimpleUploadedFile("prc-csp-mar2021-mar2023-tables-230726.ods", content),
            "population": SimpleUploadedFile("population.csv", POPULATION.encode()),
            "category": "All crime",
        },
        follow=True,
    )

    page = response.content.decode()
    batch = ImportBatch.objects.latest("pk")
    assert batch.status == ImportBatch.Status.PREVIEWED, batch.errors
    assert "Not data: sheets &#x27;Notes&#x27; hold notes or titles" in page
    assert "Unassigned" in page  # the Unassigned Leicestershire rows, left out of every CSP
