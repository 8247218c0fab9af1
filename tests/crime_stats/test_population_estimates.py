"""Population estimates as data: the ONS layout by district code and mySociety's table summed
into CSPs through the lookups, a CSP table, undo, and a district table given with an upload."""

import csv
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from crime_stats.importers.population_batches import load_populations, undo_populations
from crime_stats.models import ImportBatch, PopulationEstimate
from tests.crime_stats.import_files import (
    LEICESTER,
    ONS_HEADER,
    OTHER_GROUPS,
    csv_bytes,
    ons_rows,
    plan_for,
    problem_texts,
)

pytestmark = pytest.mark.django_db

MYSOCIETY = settings.BASE_DIR / "fixtures/external/uk-local-authorities-codes-pop2020-mysociety.csv"
# The ONS mid-year estimates as MYE2 lays them out: title rows, then Code, Name, Geography and
# All ages, with rows for the country and counties that are no district of a CSP.
ONS_MYE2 = (
    "MYE2: Population estimates: Persons by single year of age,,,\n"
    "Mid-2022,,,\n"
    ",,,\n"
    "Code,Name,Geography,All ages\n"
    'E92000001,England,Country,"57,106,398"\n'
    'E06000016,Leicester,Unitary Authority,"373,399"\n'
    'E06000018,Nottingham,Unitary Authority,"328,996"\n'
    'E07000151,Daventry,Non-metropolitan District,"87,000"\n'
    'E07000155,South Northamptonshire,Non-metropolitan District,"95,000"\n'
    'E06000060,Buckinghamshire,Unitary Authority,"558,070"\n'
    'E10000018,Leicestershire,County,"721,892"\n'
)


def _estimate(name: str, year: int) -> int:
    return PopulationEstimate.objects.get(csp__name=name, year=year).population


def test_the_ons_layout_by_district_code_is_summed_into_csps():
    plan, batch = load_populations(content=csv_bytes(ONS_MYE2), file_name="mye2.csv", year=2022)

    assert plan.file.problems == []
    assert batch.format == "population" and batch.rows_created == 3
    assert _estimate("Leicester", 2022) == 373_399
    assert _estimate("Nottingham", 2022) == 328_996
    # Two districts of the 2017 lookup make one CSP.
    assert _estimate("Daventry and South Northamptonshire", 2022) == 87_000 + 95_000
    # Buckinghamshire spans four CSPs: none of them gets its population.
    missing = {row["csp"]: row["reason"] for row in plan.file.missing}
    assert "Buckinghamshire (E06000060) spans several CSPs" in missing["Thames Valley - Wycombe"]
    assert not PopulationEstimate.objects.filter(csp__name="Wycombe").exists()


def test_an_undated_population_column_needs_the_year():
    plan, batch = load_populations(content=csv_bytes(ONS_MYE2), file_name="mye2.csv", year=None)

    assert batch is None
    assert "give the year of the estimates (mid-year, such as 2024) on upload" in str(
        plan.file.problems[0]
    )


def test_mysocietys_table_is_read_as_it_is_by_district_code():
    with MYSOCIETY.open(encoding="utf-8-sig") as handle:
        table = {row["lad-code"]: row for row in csv.DictReader(handle)}

    plan, batch = load_populations(
        content=MYSOCIETY.read_bytes(), file_name=MYSOCIETY.name, year=None
    )

    assert plan.file.problems == [] and plan.file.years == [2020]
    # "City of Lincoln" and "Kingston upon Hull" are matched by their district codes.
    assert table["E07000138"]["nice-name"] == "City of Lincoln"
    assert _estimate("Lincoln", 2020) == int(float(table["E07000138"]["pop-2020"])) == 100_049
    hull = int(float(table["E06000010"]["pop-2020"]))
    assert _estimate("Kingston upon Hull, City of", 2020) == hull == 259_126
    assert _estimate("Leicester", 2020) == 354_036
    # 299 of the 314 CSPs; the other 15 need a district that spans several CSPs.
    assert batch.rows_created == 299 and len(plan.file.missing) == 15


def test_undoing_a_population_load_restores_the_estimates_exactly():
    load_populations(
        content=csv_bytes("CSP,Mid-2020\nLeicester,350000\n"), file_name="a.csv", year=None
    )
    _plan, second = load_populations(
        content=MYSOCIETY.read_bytes(), file_name=MYSOCIETY.name, year=None
    )
    assert _estimate("Leicester", 2020) == 354_036 and second.rows_updated == 1

    assert undo_populations(batch=second) == 299

    assert _estimate("Leicester", 2020) == 350_000
    assert PopulationEstimate.objects.filter(year=2020).count() == 1
    second.refresh_from_db()
    assert second.status == ImportBatch.Status.UNDONE


def test_a_district_table_given_with_an_upload_gives_each_csp_its_sum():
    content = ONS_HEADER + ons_rows(
        "Leicester", "Leicestershire", "2019/20", 1, {"1": 708, "34B": 0, "28": 0, **OTHER_GROUPS}
    )

    plan = plan_for(csv_bytes(content), MYSOCIETY.read_bytes())

    assert problem_texts(plan) == []
    all_crime = next(
        f for f in plan.parsed.figures if f.category == "All crime" and f.csp.label == LEICESTER
    )
    assert (all_crime.population, all_crime.rate) == (354_036, Decimal("2.000"))


def test_the_command_loads_and_says_what_it_did(capsys):
    call_command("load_population_estimates", str(MYSOCIETY))

    out = capsys.readouterr().out
    assert "299 to create" in out and "Loaded as batch" in out
    assert "no estimate for Thames Valley - Wycombe (mid-2020)" in out


def test_an_admin_uploads_previews_and_confirms_estimates(client_for, admin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(admin)
    response = client.post(
        reverse("population_upload"),
        {"file": SimpleUploadedFile("mye2.csv", ONS_MYE2.encode()), "year": "2022"},
    )
    batch = ImportBatch.objects.get(format="population")
    assert response["Location"] == reverse("population_batch", args=[batch.pk])
    page = client.get(response["Location"]).content.decode()
    assert "3 estimates will be created" in page and "spans several CSPs" in page
    assert not PopulationEstimate.objects.exists()

    client.post(reverse("population_confirm", args=[batch.pk]))

    assert _estimate("Leicester", 2022) == 373_399
    listing = client.get(reverse("population_list")).content.decode()
    assert "mid-2022" in listing
    assert reverse("population_list") in client.get(reverse("data_batches")).content.decode()


def test_a_bad_population_is_a_problem_at_its_row_and_nothing_is_loaded():
    content = csv_bytes("Code,Name,All ages\nE06000016,Leicester,lots\nE06000018,Nottingham,1\n")

    plan, batch = load_populations(content=content, file_name="bad.csv", year=2022)

    assert batch is None and not PopulationEstimate.objects.exists()
    assert [str(problem) for problem in plan.file.problems] == [
        "sheet population file, row 2, column 'All ages': 'lots' is not a number: give the "
        "population as a number such as 1234"
    ]
