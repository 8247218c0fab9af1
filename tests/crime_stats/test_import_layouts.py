"""Each layout and file kind yields exactly the figures it holds."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings

from tests.crime_stats.import_files import (
    LEICESTER,
    NOTTINGHAM,
    ONS_HEADER,
    POPULATION,
    csv_bytes,
    ons_rows,
    plan_for,
    problem_texts,
    spreadsheet_bytes,
)

pytestmark = pytest.mark.django_db

WIDE = "CSP,April–December 2019,2020\nLeicestershire - Leicester,101.5,99.25\nNottingham,88,\n"


def _rates(plan) -> dict[tuple[str, str, str], Decimal]:
    return {(f.csp.label, f.period.label, f.category): f.rate for f in plan.parsed.figures}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_wide_csv_in_each_encoding_gives_its_rates(encoding):
    plan = plan_for(csv_bytes(WIDE, encoding), span="April-December")

    assert problem_texts(plan) == []
    assert plan.parsed.format == "wide"
    assert _rates(plan) == {
        (LEICESTER, "April–December 2019", "All crime"): Decimal("101.500"),
        (LEICESTER, "April–December 2020", "All crime"): Decimal("99.250"),
        (NOTTINGHAM, "April–December 2019", "All crime"): Decimal("88.000"),
    }
    assert [spec.label for spec in plan.new_periods] == [
        "April–December 2019",
        "April–December 2020",
    ]
    assert plan.new_periods[0].start == datetime.date(2019, 4, 1)
    assert plan.new_periods[0].end == datetime.date(2019, 12, 31)
    assert plan.new_periods[0].slug == "apr-dec-2019"


@pytest.mark.parametrize("engine", ["openpyxl", "odf"])
def test_wide_spreadsheets_give_the_same_rates_as_csv(engine):
    rows = [
        ["CSP", "April–December 2019", "2020"],
        ["Leicestershire - Leicester", 101.5, 99.25],
        ["Nottingham", 88, None],
    ]
    plan = plan_for(spreadsheet_bytes({"Figures": rows}, engine), span="April-December")

    assert problem_texts(plan) == []
    assert _rates(plan) == _rates(plan_for(csv_bytes(WIDE), span="April-December"))


def test_the_plans_own_table_is_unchanged_after_the_seed():
    table = settings.BASE_DIR / "fixtures/seed/msg_crimes_per_1000_apr_dec_2016_2018.csv"
    plan = plan_for(table.read_bytes(), span="April-December")

    assert problem_texts(plan) == []
    assert (len(plan.created), len(plan.updated), len(plan.unchanged)) == (0, 0, 45)


def test_long_layout_with_rates_and_categories():
    content = csv_bytes(
        'Community Safety Partnership,Reporting Period,Crime Category,"Crimes per 1,000"\n'
        "leicester,2019/20,Robbery,3.5\n"
        "E22000257,April–December 2019,All crime,88.25\n"
    )
    plan = plan_for(content)

    assert problem_texts(plan) == []
    assert plan.parsed.format == "long"
    assert _rates(plan) == {
        (LEICESTER, "April 2019–March 2020", "Robbery"): Decimal("3.500"),
        (NOTTINGHAM, "April–December 2019", "All crime"): Decimal("88.250"),
    }


def test_long_layout_with_offences_and_population_computes_the_rate():
    content = csv_bytes(
        "CSP,Period,Category,Number of Offences,Population\n"
        "Leicestershire  -  LEICESTER,April-December 2019,All crime,35000,350000\n"
        "Nottinghamshire - Nottingham,April-December 2019,All crime,1,3\n"
    )
    plan = plan_for(content)

    figures = {f.csp.label: f for f in plan.parsed.figures}
    assert figures[LEICESTER].rate == Decimal("100.000")
    assert (figures[LEICESTER].offences, figures[LEICESTER].population) == (35000, 350000)
    assert figures[NOTTINGHAM].rate == Decimal("333.333")  # rounded half up to 3 places


def test_long_layout_cp1252_en_dash_in_the_period_is_read():
    content = csv_bytes("CSP,Period,Rate\nLeicester,April–December 2019,12.5\n", "cp1252")
    assert b"\x96" in content  # Windows-1252's en dash, as Excel writes it

    plan = plan_for(content)

    assert _rates(plan) == {(LEICESTER, "April–December 2019", "All crime"): Decimal("12.500")}


def _ons_file() -> str:
    text = ONS_HEADER
    for quarter in (1, 2, 3, 4):
        text += ons_rows(
            "Leicester", "Leicestershire", "2019/20", quarter,
            {"1": 1000, "34B": 250, "28": 1500, "53": 300},
        )  # fmt: skip
        text += ons_rows(
            "Nottingham", "Nottinghamshire", "2019/20", quarter,
            {"1": 800, "34B": -3 if quarter == 1 else 100},
        )  # fmt: skip
    text += "2019/20,1,Leicestershire,Leicestershire Unassigned,Murder,"
    text += "Violence against the person,Homicide,1,7\n"
    return text


def test_ons_layout_sums_quarters_to_groups_and_all_crime_without_fraud():
    plan = plan_for(csv_bytes(_ons_file()), csv_bytes(POPULATION))

    assert problem_texts(plan) == []
    assert plan.parsed.format == "ons"
    year = "April 2019–March 2020"
    assert _rates(plan) == {
        (LEICESTER, year, "Violence against the person"): Decimal("11.429"),
        (LEICESTER, year, "Robbery"): Decimal("2.857"),
        (LEICESTER, year, "Theft offences"): Decimal("17.143"),
        (LEICESTER, year, "Fraud offences"): Decimal("3.429"),
        (LEICESTER, year, "All crime"): Decimal("31.429"),
        (NOTTINGHAM, year, "Violence against the person"): Decimal("10.000"),
        (NOTTINGHAM, year, "Robbery"): Decimal("0.928"),
        (NOTTINGHAM, year, "All crime"): Decimal("10.928"),
    }
    all_crime = {f.csp.label: f for f in plan.parsed.figures if f.category == "All crime"}
    assert (all_crime[LEICESTER].offences, all_crime[LEICESTER].population) == (11000, 350000)
    assert all_crime[NOTTINGHAM].offences == 3497  # the -3 is summed as it is
    assert (
        "1 'Unassigned' rows of Leicestershire (7 offences) are left out of every CSP."
        in plan.parsed.notes
    )


def test_ons_layout_with_a_span_sums_only_its_quarters():
    plan = plan_for(csv_bytes(_ons_file()), csv_bytes(POPULATION), span="April-December")

    rates = _rates(plan)
    assert rates[(LEICESTER, "April–December 2019", "All crime")] == Decimal("23.571")
    assert rates[(LEICESTER, "April–December 2019", "Violence against the person")] == Decimal(
        "8.571"
    )
    assert "Quarters 4 of 2019/20 lie outside the span chosen on upload and are left out." in (
        plan.parsed.notes
    )


@pytest.mark.parametrize("engine", ["openpyxl", "odf"])
def test_ons_spreadsheet_with_one_sheet_per_year(engine):
    header = ["Financial Year", "Financial Quarter", "Police Force", "CSP Name",
              "Offence Description", "Offence Group", "Offence Subgroup", "Offence Code",
              "Number of Offences"]  # fmt: skip
    sheets = {
        f"20{y}-{y + 1}": [header]
        + [
            [
                f"20{y}/{y + 1}",
                q,
                "Leicestershire",
                "Leicester",
                "Murder",
                "Violence against the person",
                "Homicide",
                "1",
                350,
            ]
            for q in (1, 2, 3, 4)
        ]  # fmt: skip
        for y in (18, 19)
    }
    plan = plan_for(spreadsheet_bytes(sheets, engine), csv_bytes(POPULATION))

    assert problem_texts(plan) == []
    assert _rates(plan) == {
        (LEICESTER, "April 2018–March 2019", "Violence against the person"): Decimal("4.000"),
        (LEICESTER, "April 2018–March 2019", "All crime"): Decimal("4.000"),
        (LEICESTER, "April 2019–March 2020", "Violence against the person"): Decimal("4.000"),
        (LEICESTER, "April 2019–March 2020", "All crime"): Decimal("4.000"),
    }


def test_a_forced_layout_overrides_detection():
    plan = plan_for(csv_bytes("CSP,Period,Rate\nLeicester,2019/20,5\n"), format="wide")

    assert plan.parsed.format == "wide"
    assert "row 1, column 'Period': `Period` is not a period" in problem_texts(plan)[0]
