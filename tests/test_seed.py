import csv
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from crime_stats.models import (
    CSP,
    ComparisonGroup,
    CrimeFigure,
    CSPAlias,
    LocalAuthority,
    ReportingPeriod,
)
from priorities.models import CrossCuttingTheme, Partner, PlanVersion, Priority

pytestmark = pytest.mark.django_db
# ONS Open Geography's LAD → CSP → PFA lookup (January 2017): fixtures/external/SOURCES.md.
ONS_LOOKUP = Path(settings.BASE_DIR, "fixtures", "external", "ons-lad17-csp17-pfa17-lookup.csv")


def seed_counts() -> dict[str, int]:
    return {
        "csps": CSP.objects.count(),
        "figures": CrimeFigure.objects.count(),
        "versions": PlanVersion.objects.count(),
        "priorities": Priority.objects.count(),
        "partners": Partner.objects.count(),
        "themes": CrossCuttingTheme.objects.count(),
        "periods": ReportingPeriod.objects.count(),
    }


def test_load_seed_twice_gives_the_plans_counts_and_changes_nothing(capsys):
    call_command("load_seed")
    first = seed_counts()
    history_rows = CrimeFigure.history.count()
    call_command("load_seed")
    assert "nothing changed" in capsys.readouterr().out
    assert (
        seed_counts()
        == first
        == {
            "csps": 314,
            "figures": 45,
            "versions": 2,
            "priorities": 12,
            "partners": 10,
            "themes": 3,
            "periods": 3,
        }
    )
    assert CrimeFigure.history.count() == history_rows


def test_seed_restores_a_figure_that_was_changed_by_hand():
    figure = CrimeFigure.objects.get(csp__name="Leicester", period__slug="apr-dec-2018")
    figure.rate = Decimal("1.0")
    figure.save()
    call_command("load_seed")
    figure.refresh_from_db()
    assert figure.rate == Decimal("92.5")


def test_msg_has_leicester_as_focus_and_fifteen_members():
    group = ComparisonGroup.objects.get()
    assert group.focus.label == "Leicestershire - Leicester"
    start = ReportingPeriod.objects.get(slug="apr-dec-2018").start
    assert sum(1 for membership in group.memberships.all() if membership.covers(start)) == 15


def test_every_figure_of_the_plans_table_is_stored():
    table = Path(settings.BASE_DIR, "fixtures", "seed", "msg_crimes_per_1000_apr_dec_2016_2018.csv")
    with table.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for year in ("2016", "2017", "2018"):
                figure = CrimeFigure.objects.get(
                    csp__force=row["CSP"].split(" - ")[0],
                    csp__name=row["CSP"].split(" - ", 1)[1],
                    period__slug=f"apr-dec-{year}",
                    category="All crime",
                )
                assert figure.rate == Decimal(row[year])
                assert figure.batch.file_name == table.name
    assert figure.batch.rows_read == 15 and figure.batch.rows_created == 45


def test_priority_b_and_f_are_worded_exactly_as_each_version_of_the_plan_words_them():
    original = {p.letter: p for p in Priority.objects.filter(version__slug="2018-21")}
    refresh = {p.letter: p for p in Priority.objects.filter(version__slug="refresh-2019-20")}
    assert original["b"].wording == "To support the Prevent agenda and deter extremism"
    assert refresh["b"].wording == (
        "To support the Prevent agenda and deter extremism including hate crime/ incidents."
    )
    assert original["f"].wording == (
        "To work with partners to identify vulnerability and safeguarding issues to reduce "
        "adult sexual exploitation and serious & organised crime"
    )
    assert original["f"].focus_areas == []
    assert refresh["f"].wording == (
        "To work with partners to identify vulnerability and safeguarding issues in to reduce "
        "such as;"
    )
    assert refresh["f"].focus_areas == [
        "sexual exploitation",
        "modern-day slavery",
        "county line",
        "serious & organised crime",
    ]
    assert [p.letter for p in refresh.values()] == list("abcdef")


def test_ons_codes_match_the_ons_lookup():
    with ONS_LOOKUP.open(encoding="utf-8-sig") as handle:
        lookup = {(r["PFA17NM"], r["CSP17NM"]): r["CSP17CD"] for r in csv.DictReader(handle)}
    assert {csp.natural_key(): csp.ons_code for csp in CSP.objects.all()} == lookup
    english = CSP.objects.filter(ons_code__startswith="E22").count()
    assert (english, CSP.objects.filter(ons_code__startswith="W14").count()) == (293, 21)


def test_the_msg_keeps_its_fifteen_members_and_their_codes():
    group = ComparisonGroup.objects.get(name="Leicester Most Similar Group")
    codes = sorted(m.csp.ons_code for m in group.memberships.select_related("csp"))
    assert codes == [
        "E22000010", "E22000029", "E22000099", "E22000101", "E22000104", "E22000134",
        "E22000151", "E22000168", "E22000175", "E22000182", "E22000245", "E22000257",
        "E22000270", "E22000335", "E22000336",
    ]  # fmt: skip


def test_each_csp_covers_its_districts_and_shared_districts_are_marked():
    leicester = CSP.objects.get(name="Leicester")
    districts = leicester.local_authorities.all()
    assert {(lad.code, lad.lookup_year, lad.shared) for lad in districts} == {
        ("E06000016", 2017, False), ("E06000016", 2021, False), ("E06000016", 2023, False),
    }  # fmt: skip
    dorset = CSP.objects.get(force="Dorset", name="Dorset")
    in_2021 = {(lad.name, lad.shared) for lad in dorset.local_authorities.in_lookup(2021)}
    assert in_2021 == {("Dorset", False), ("Bournemouth, Christchurch and Poole", True)}
    # 1 April 2023: Cumberland spans three CSPs; North Yorkshire lies wholly in one.
    cumberland = LocalAuthority.objects.in_lookup(2023).filter(code="E06000063")
    assert sorted(lad.csp.name for lad in cumberland) == ["Allerdale", "Carlisle", "Copeland"]
    assert all(lad.shared for lad in cumberland)
    north_yorkshire = LocalAuthority.objects.in_lookup(2023).get(code="E06000065")
    assert (north_yorkshire.csp.name, north_yorkshire.shared) == ("North Yorkshire", False)


def test_the_home_offices_spellings_are_aliases_with_their_source():
    aliases = {(a.csp.label, a.name) for a in CSPAlias.objects.select_related("csp")}
    assert ("Kent - Shepway", "Folkestone and Hythe") in aliases
    assert ("London, City of - City of London", "London, City of") in aliases
    assert ("Devon & Cornwall - North Devon", "Northern Devon") in aliases
    assert all("prc-csp" in a.source or "mySociety" in a.source for a in CSPAlias.objects.all())
