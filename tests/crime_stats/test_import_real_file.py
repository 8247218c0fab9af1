"""The real Home Office extract: older headers, no period columns, most CSPs not in the portal."""

from decimal import Decimal

import pytest
from django.conf import settings

from crime_stats.importers import ImportOptions, import_figures
from crime_stats.models import CrimeFigure
from tests.crime_stats.import_files import csv_bytes, plan_for

pytestmark = pytest.mark.django_db

# The Home Office extract as committed with its source and licence: fixtures/external/SOURCES.md.
EXTRACT = (
    settings.BASE_DIR
    / "fixtures/external/homeoffice-prc-csp-burglary-robbery-theftperson-extract-macoj.csv"
)
# The 15 CSPs of Leicester's MSG, mid-2020 estimates as in mySociety's table (Hull and Lincoln
# are named differently there: `Kingston upon Hull`, `City of Lincoln`).
POPULATION = csv_bytes(
    "CSP,Population\nLuton,213528\nMiddlesbrough,141285\nBolton,288248\nManchester,555741\n"
    'Salford,262697\n"Kingston upon Hull, City of",259126\nBlackpool,138381\n'
    "Leicester,354036\nLincoln,100049\nLiverpool,500474\nNewcastle upon Tyne,306824\n"
    "Nottingham,337098\nStoke-on-Trent,256622\nBirmingham,1140525\nCoventry,379387\n"
)


@pytest.fixture
def extract() -> bytes:
    return EXTRACT.read_bytes()


def test_the_preview_lists_the_csps_not_in_the_portal_and_stops(extract):
    plan = plan_for(extract, POPULATION, period="2011/12")

    assert plan.parsed.format == "ons"
    assert plan.parsed.rows_read == 15_577
    assert len(plan.parsed.unknown_csps) == 308  # 323 names, 15 of them in the portal
    assert plan.parsed.rows_skipped == 14_917
    assert not plan.can_commit
    assert len(plan.problems) == 308
    northumberland = plan.parsed.unknown_csps["Northumberland"]
    assert (northumberland.rows, northumberland.first_row) == (264, 2)


def test_confirmed_with_unknown_csps_skipped_it_yields_leicesters_figures(extract):
    options = ImportOptions(period="2011/12", skip_unknown_csps=True)

    plan, batch = import_figures(
        content=extract, file_name=EXTRACT.name, options=options, population=POPULATION
    )

    assert batch is not None and batch.rows_skipped == 14_917
    assert batch.rows_created == 30  # 15 CSPs × 2 offence groups; no partial "All crime"
    assert any("no 'All crime' total is made" in note for note in plan.parsed.notes)
    leicester = {
        f.category: (f.offences, f.population, f.rate)
        for f in CrimeFigure.objects.filter(csp__name="Leicester", period__slug="apr-2011-mar-2012")
    }
    # Four quarterly rows per offence code, summed: 711 robberies and 4,622 thefts/burglaries.
    assert leicester == {
        "Robbery": (711, 354036, Decimal("2.008")),
        "Theft offences": (4622, 354036, Decimal("13.055")),
    }
    period = CrimeFigure.objects.filter(batch=batch).first().period
    assert (period.label, str(period.start), str(period.end)) == (
        "April 2011–March 2012", "2011-04-01", "2012-03-31",
    )  # fmt: skip


def test_negative_single_counts_are_summed_as_they_are(extract):
    # Birmingham's code 31 has a -1 in one quarter: the theft total includes it as it is.
    plan = plan_for(extract, POPULATION, period="2011/12", skip_unknown_csps=True)

    birmingham = next(
        f
        for f in plan.parsed.figures
        if f.csp.name == "Birmingham" and f.category == "Theft offences"
    )
    assert birmingham.offences == 13_356
    assert birmingham.rate == Decimal("11.710")  # 13,356 per 1,140,525 people
