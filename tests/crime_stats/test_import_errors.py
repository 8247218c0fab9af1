"""Every kind of problem is reported by row and column, with a message that says how to fix it."""

import io
import zipfile

import pytest

from tests.crime_stats.import_files import (
    ONS_HEADER,
    POPULATION,
    csv_bytes,
    ons_rows,
    plan_for,
    problem_texts,
)

pytestmark = pytest.mark.django_db


def test_unknown_csp_names_the_closest_known_one():
    plan = plan_for(csv_bytes("CSP,Period,Rate\nLeicster,2019/20,5\nAtlantis,2019/20,6\n"))

    assert problem_texts(plan) == [
        "row 2, column 'CSP': 'Leicster' is not a CSP in the portal: did you mean "
        "'Leicestershire - Leicester'? Correct the name, add the CSP in the administration "
        "pages, or confirm the import with the CSPs that are not in the portal skipped (1 rows)",
        "row 3, column 'CSP': 'Atlantis' is not a CSP in the portal: no CSP in the portal has a "
        "similar name; add the CSP in the administration pages, or confirm the import with the "
        "CSPs that are not in the portal skipped (1 rows)",
    ]
    assert not plan.can_commit


def test_unknown_csps_are_skipped_only_when_asked():
    content = csv_bytes("CSP,Period,Rate\nAtlantis,2019/20,6\nLeicester,2019/20,5\n")

    skipped = plan_for(content, skip_unknown_csps=True)

    assert skipped.can_commit
    assert [f.csp.name for f in skipped.created] == ["Leicester"]
    assert skipped.parsed.rows_skipped == 1


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("abc", "'abc' is not a number: give the crimes per 1,000 as a number such as 77.7"),
        ("-3.5", "'-3.5' is negative: a rate per 1,000 cannot be below zero"),
    ],
)
def test_a_bad_rate_is_reported_at_its_row_and_column(cell, message):
    plan = plan_for(csv_bytes(f"CSP,2019,2020\nLeicester,5,{cell}\n"), span="April-December")

    assert problem_texts(plan) == [f"row 2, column '2020': {message}"]


def test_a_duplicate_row_in_the_wide_layout():
    content = csv_bytes("CSP,2019\nLeicester,5\nNottingham,6\nleicestershire - leicester,7\n")

    plan = plan_for(content, span="April-December")

    assert problem_texts(plan) == [
        "row 4, column 'CSP': this row repeats 'Leicestershire - Leicester' from row 2: "
        "keep one row per CSP"
    ]


def test_a_duplicate_row_in_the_long_layout():
    content = csv_bytes("CSP,Period,Rate\nLeicester,2019/20,5\nLeicester,2019/20,5\n")

    assert problem_texts(plan_for(content)) == [
        "row 3: this row repeats Leicestershire - Leicester, April 2019–March 2020, All crime "
        "from row 2: keep one row for each CSP, period and category"
    ]


def test_an_unparseable_period_in_a_header_and_in_a_cell():
    wide = plan_for(csv_bytes("CSP,Spring 2019\nLeicester,5\n"))
    long = plan_for(csv_bytes("CSP,Period,Rate\nLeicester,2019/21,5\n"))

    assert problem_texts(wide) == [
        "row 1, column 'Spring 2019': `Spring 2019` is not a period: name a period as "
        "`April–December 2018`, a financial year as `2018/19`, or a bare year such as `2018` "
        "with the span chosen on upload"
    ]
    assert problem_texts(long) == [
        "row 2, column 'Period': `2019/21` is not a financial year: write it as `2018/19`"
    ]


def test_a_period_across_two_financial_years_is_refused():
    plan = plan_for(csv_bytes("CSP,February–May 2019\nLeicester,5\n"))

    assert problem_texts(plan) == [
        "row 1, column 'February–May 2019': February–May crosses the end of a financial year "
        "(April–March): a reporting period lies within one financial year"
    ]


def test_a_missing_required_column():
    plan = plan_for(csv_bytes("CSP,Period\nLeicester,2019/20\n"))

    assert problem_texts(plan) == [
        "row 1, column 'Rate': the header row has no 'Rate' column (also accepted: "
        "'Crimes per 1,000', 'Crimes per 1000', 'Rate per 1,000', 'Rate per 1000', "
        "'Crime Rate', 'Crimes per 1,000 population'): or give both 'Offences' and "
        "'Population' columns; add it to the header row"
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "file: The file is empty: it has no header row and no data."),
        (b"\n\n", "file: The file is empty: it has no header row and no data."),
        (
            b"CSP,2019\n",
            "file: the file has a header row but no data rows: add the figures below the header",
        ),
    ],
)
def test_an_empty_file(content, message):
    assert problem_texts(plan_for(content, span="April-December")) == [message]


def test_a_damaged_spreadsheet_is_unreadable():
    plan = plan_for(b"PK\x03\x04" + b"\x00" * 64)

    assert problem_texts(plan) == [
        "file: The file looks like a spreadsheet archive but is damaged: open it in Excel or "
        "LibreOffice and save it again."
    ]


def test_an_oversized_file_is_refused_before_it_is_read(settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1024 * 1024

    plan = plan_for(b"CSP,2019\n" + b"Leicester,5\n" * 100_000)

    assert problem_texts(plan) == [
        "file: The file is 1.1 MB; the limit is 1.0 MB. Split it (for example one file per "
        "financial year) and load each part."
    ]


def _archive(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(settings):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 10 * 1024 * 1024
    bomb = _archive({"xl/workbook.xml": b"<x/>", "xl/worksheets/sheet1.xml": b"0" * 11_000_000})
    assert len(bomb) < 100_000

    assert problem_texts(plan_for(bomb)) == [
        "file: The spreadsheet unpacks to 10.5 MB; the limit is 10.0 MB. Save it as CSV and "
        "load that."
    ]


def test_an_archive_of_too_many_parts_is_refused(settings):
    settings.IMPORT_MAX_ARCHIVE_MEMBERS = 5
    archive = _archive({f"part{n}.xml": b"<x/>" for n in range(6)})

    assert problem_texts(plan_for(archive)) == [
        "file: The spreadsheet holds 6 parts; at most 5 are accepted. Save it as CSV and load that."
    ]


def test_a_formula_is_read_as_text_never_evaluated():
    plan = plan_for(csv_bytes('CSP,2019\nLeicester,"=1+1"\n'), span="April-December")

    assert problem_texts(plan) == [
        "row 2, column '2019': '=1+1' is not a number: give the crimes per 1,000 as a number "
        "such as 77.7"
    ]


def test_ons_negative_total_and_bad_counts_and_duplicates():
    content = ONS_HEADER
    content += ons_rows("Leicester", "Leicestershire", "2019/20", 1, {"1": 5, "34B": -2})
    content += ons_rows("Leicester", "Leicestershire", "2019/20", 2, {"1": 5, "34B": "x"})
    content += ons_rows("Leicester", "Leicestershire", "2019/20", 1, {"1": 5})
    content += ons_rows("Leicester", "Leicestershire", "2019/20", 3, {"1": 5})
    content += ons_rows("Leicester", "Leicestershire", "2019/20", 4, {"1": 5})

    plan = plan_for(csv_bytes(content), csv_bytes(POPULATION))

    assert problem_texts(plan) == [
        "row 5, column 'Offence Count': 'x' is not a whole number: give the number of offences "
        "as a whole number such as 12",
        "row 6, column 'Offence Code': this row repeats row 2 (the same financial year, quarter, "
        "CSP and offence): remove one of them",
        "row 3, column 'Offence Count': the offences of Leicestershire - Leicester in Robbery "
        "for April–June 2019 sum to -2: a total cannot be negative; check this CSP's "
        "rows for that offence group",
        "row 3, column 'Offence Count': the offences of Leicestershire - Leicester in Robbery "
        "for April 2019–March 2020 sum to -2: a total cannot be negative; check this CSP's "
        "rows for that offence group",
    ]


def test_ons_needs_populations_and_every_quarter_of_a_chosen_span():
    content = ONS_HEADER + ons_rows("Leicester", "Leicestershire", "2019/20", 1, {"1": 5})

    assert problem_texts(plan_for(csv_bytes(content), span="April-March")) == [
        "column 'Financial Quarter': financial year 2019/20 has no rows for quarter 2 "
        "(July–September), 3 (October–December), 4 (January–March), which the span needs: load "
        "a file with every quarter of the span, or choose a shorter span",
        "column 'Population': the Home Office table gives counts, so rates need populations: "
        "load population estimates on the data-loading page (Populations), or a population "
        "table with this file (a 'CSP' column and a 'Population' column)",
    ]
