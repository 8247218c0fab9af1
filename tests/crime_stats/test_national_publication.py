"""The national publication's meaning: quarters and years as periods, a mid-year edition as the
months it covers, offence groups whatever their capitals, All crime only from all nine groups,
Unassigned areas reported and never CSPs, and the stored populations each year's rates use."""

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest

from crime_stats.importers import ImportOptions, import_figures
from crime_stats.importers.population_batches import load_populations
from crime_stats.importers.preview import national_summary
from crime_stats.models import CrimeFigure, ForceNote
from tests.crime_stats import publication_shaped as publication
from tests.crime_stats.import_files import csv_bytes, plan_for, problem_texts, spreadsheet_bytes
from tests.crime_stats.publication_files import (
    NOTES,
    PublicationRow,
    publication_ods,
    year_sheets,
)

pytestmark = pytest.mark.django_db

NINE = {
    "Violence against the person", "Sexual offences", "Robbery", "Theft offences",
    "Criminal damage and arson", "Drug offences", "Possession of weapons offences",
    "Public order offences", "Miscellaneous crimes against society",
}  # fmt: skip
LEICESTER_2024, LEICESTER_2025 = 368_600, 373_400
ESTIMATES = (
    "CSP,Police Force,Mid-2024,Mid-2025\n"
    f"Leicester,Leicestershire,{LEICESTER_2024},{LEICESTER_2025}\n"
    "Nottingham,Nottinghamshire,330000,331500\n"
)
MONTHS = {1: "April–June", 2: "July–September", 3: "October–December", 4: "January–March"}


def _expected_leicester() -> dict[tuple[str, str], Decimal]:
    """Return (period label, category) -> rate, worked out from the rows alone."""
    totals: dict[tuple[str, str], float] = defaultdict(float)
    for year, quarter, _force, csp, _desc, group, _code, offences in publication.rows():
        if csp != "Leicester":
            continue
        first = int(year[:4])
        group = "Drug offences" if group.lower() == "drug offences" else group
        label = f"{MONTHS[quarter]} {first + 1 if quarter == 4 else first}"
        whole = f"April {first}–March {first + 1}" if first == 2024 else f"April–September {first}"
        for period in (label, whole):
            totals[(period, group)] += offences
            if group in NINE:
                totals[(period, "All crime")] += offences
    rates = {}
    for (period, category), offences in totals.items():
        people = LEICESTER_2025 if "2025" in period and "2024" not in period else LEICESTER_2024
        if period.startswith("January–March 2025"):
            people = LEICESTER_2024
        rate = Decimal(int(offences)) * 1000 / Decimal(people)
        rates[(period, category)] = rate.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
    return rates


@pytest.fixture
def estimates():
    plan, batch = load_populations(content=csv_bytes(ESTIMATES), file_name="est.csv", year=None)
    assert batch is not None and len(plan.created) == 4


def test_leicesters_rates_for_each_year_and_quarter_equal_independent_sums(estimates):
    content = spreadsheet_bytes(publication.sheets(), "openpyxl")

    plan, batch = import_figures(
        content=content, file_name="prc-csp-mar2024-sep2025.xlsx", options=ImportOptions()
    )

    assert problem_texts(plan) == []
    stored = {
        (f.period.label, f.category): f.rate
        for f in CrimeFigure.objects.filter(batch=batch, csp__name="Leicester").select_related(
            "period"
        )
    }
    assert stored == _expected_leicester()
    labels = {label for label, _category in stored}
    assert labels == {
        "April–June 2024", "July–September 2024", "October–December 2024", "January–March 2025",
        "April 2024–March 2025", "April–June 2025", "July–September 2025",
        "April–September 2025",
    }  # fmt: skip
    # The mid-year edition is never stored as the whole of 2025/26.
    assert "April 2025–March 2026" not in labels
    assert "Drug Offences" not in {category for _label, category in stored}


def test_unassigned_rows_are_reported_with_their_total_and_never_a_csp(estimates):
    content = spreadsheet_bytes(publication.sheets(), "openpyxl")

    plan = plan_for(content)

    unassigned = [r for r in publication.rows() if r[3] == "Unassigned Leicestershire"]
    assert plan.parsed.outside_csps == {
        "Unassigned Leicestershire": {
            "rows": len(unassigned),
            "offences": int(sum(r[7] for r in unassigned)),
            "reason": "crimes the force recorded without placing them in a CSP",
        }
    }
    assert plan.parsed.unknown_csps == {}
    summary = national_summary(plan)
    assert summary["outside_csps"][0]["name"] == "Unassigned Leicestershire"


def test_the_preview_says_which_estimate_each_year_used():
    load_populations(
        content=csv_bytes("CSP,Mid-2024\nLeicester,368600\nNottingham,330000\n"),
        file_name="mid-2024.csv",
        year=None,
    )
    content = spreadsheet_bytes(publication.sheets(), "openpyxl")

    plan = plan_for(content)

    assert problem_texts(plan) == []
    summary = national_summary(plan)
    assert summary["population_fallback"] is True
    by_year = {row["financial_year"]: row for row in summary["population_sources"]}
    assert (by_year["2024/25"]["estimate"], by_year["2024/25"]["fallback"]) == ("mid-2024", False)
    assert (by_year["2025/26"]["estimate"], by_year["2025/26"]["fallback"]) == ("mid-2024", True)
    april_2025 = next(
        f
        for f in plan.parsed.figures
        if f.csp.name == "Leicester" and f.period.label == "April–June 2025"
    )
    assert april_2025.population == 368_600


def test_a_year_with_no_estimate_at_or_before_it_is_a_problem_that_says_what_to_load():
    load_populations(
        content=csv_bytes("CSP,Mid-2025\nLeicester,373400\nNottingham,331500\n"),
        file_name="mid-2025.csv",
        year=None,
    )

    plan = plan_for(spreadsheet_bytes(publication.sheets(), "openpyxl"))

    assert (
        "column 'Population': no population estimate is stored for Leicestershire - Leicester "
        "for mid-2024 or any earlier year, so its rates for 2024/25 cannot be made: load "
        "population estimates on the data-loading page (Populations)"
    ) in problem_texts(plan)


def test_all_crime_needs_every_offence_group_of_the_csp_and_period(estimates):
    rows = [r for r in publication.rows() if not (r[3] == "Nottingham" and r[6] == "9")]
    text = (
        ",".join(publication.HEADER)
        + "\n"
        + "".join(f"{y},{q},{f},{c},{d},{g},{g},{code},{n}\n" for y, q, f, c, d, g, code, n in rows)
    )

    plan = plan_for(csv_bytes(text))

    all_crime = {
        (f.csp.name, f.period.label) for f in plan.parsed.figures if f.category == "All crime"
    }
    assert ("Leicester", "April 2024–March 2025") in all_crime
    assert not any(name == "Nottingham" for name, _ in all_crime)  # no public order offences
    assert any("lack one of the nine offence groups" in note for note in plan.parsed.notes)


def _as_published(notes: list[list[str]] | None = None) -> bytes:
    """Return the small publication as the Home Office's ODS: Notes sheet, then year sheets."""
    rows = [
        PublicationRow(y, q, f, c, d, g, g, code, int(n))
        for y, q, f, c, d, g, code, n in publication.rows()
    ]
    return publication_ods(year_sheets(rows), notes or NOTES)


def test_the_published_ods_gives_the_same_rates_and_keeps_its_force_notes(estimates):
    plan, batch = import_figures(
        content=_as_published(), file_name="prc-csp-mar2024-sep2025-tables.ods",
        options=ImportOptions(),
    )  # fmt: skip

    assert problem_texts(plan) == []
    stored = {
        (f.period.label, f.category): f.rate
        for f in CrimeFigure.objects.filter(batch=batch, csp__name="Leicester").select_related(
            "period"
        )
    }
    assert stored == _expected_leicester()
    folkestone = ForceNote.objects.get(publication__batch=batch, text__contains="Folkestone")
    # "Folkestone and Hythe" is the Home Office's name for the ONS's Shepway.
    assert [csp.label for csp in folkestone.csps.all()] == ["Kent - Shepway"]
    assert (folkestone.first_year, folkestone.last_year) == (2025, 2025)
    assert batch.publication.updated.isoformat() == "2026-07-23"
