"""The real Home Office extract: older headers, no period columns, most CSPs not in the portal."""

import csv
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


@pytest.fixture
def msg_extract(extract) -> bytes:
    """Return the extract's header and the rows of the 15 CSPs of Leicester's MSG."""
    names = {
        "Luton", "Middlesbrough", "Bolton", "Manchester", "Salford", "Kingston upon Hull",
        "Blackpool", "Leicester", "Lincoln", "Liverpool", "Newcastle upon Tyne", "Nottingham",
        "Stoke-on-Trent", "Birmingham", "Coventry",
    }  # fmt: skip
    lines = extract.decode("utf-8").splitlines(keepends=True)
    kept = [line for line in lines[1:] if next(csv.reader([line]))[0].removesuffix(", City of")
            in names]  # fmt: skip
    return "".join([lines[0], *kept]).encode()


def test_all_but_thirteen_of_its_323_csp_names_are_csps_of_the_portal(extract):
    plan = plan_for(extract, POPULATION, period="2011/12")

    assert plan.parsed.format == "ons"
    assert plan.parsed.rows_read == 15_577
    # 309 names are the ONS's own and one is the Home Office's spelling (Northern Devon, the
    # ONS's North Devon): 310 of the 323 are CSPs of the portal. The 13 left are CSPs of 2011/12
    # that later merged (North Hampshire, North Worcestershire, Cwm Taf, Somerset).
    assert sorted(plan.parsed.unknown_csps) == [
        "Basingstoke and Deane", "Bromsgrove", "Hart", "Merthyr Tydfil", "Redditch",
        "Rhondda Cynon Taf", "Rushmoor", "Sedgemoor", "Somerset East_Mendip",
        "Somerset East_South Somerset", "Taunton Deane", "West Somerset", "Wyre Forest",
    ]  # fmt: skip
    assert plan.parsed.unknown_csps["Bromsgrove"].message.startswith(
        "'Bromsgrove' is not a CSP in the portal: it is a district within "
        "'West Mercia - North Worcestershire', which the ONS lookup and the portal hold as one CSP"
    )
    population_problems = [p.message for p in plan.parsed.problems if p.column == "Population"]
    # The population table names only the MSG's 15: the other 295 matched CSPs lack one.
    assert len(population_problems) == 310 - 15
    assert any("Devon & Cornwall - North Devon" in message for message in population_problems)
    assert not plan.can_commit


def test_confirmed_with_unknown_csps_skipped_it_yields_leicesters_figures(msg_extract):
    options = ImportOptions(period="2011/12", skip_unknown_csps=True)

    plan, batch = import_figures(
        content=msg_extract, file_name=EXTRACT.name, options=options, population=POPULATION
    )

    assert batch is not None and batch.rows_skipped == 0
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


def test_negative_single_counts_are_summed_as_they_are(msg_extract):
    # Birmingham's code 31 has a -1 in one quarter: the theft total includes it as it is.
    plan = plan_for(msg_extract, POPULATION, period="2011/12", skip_unknown_csps=True)

    birmingham = next(
        f
        for f in plan.parsed.figures
        if f.csp.name == "Birmingham" and f.category == "Theft offences"
    )
    assert birmingham.offences == 13_356
    assert birmingham.rate == Decimal("11.710")  # 13,356 per 1,140,525 people
