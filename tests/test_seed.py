import csv
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from crime_stats.models import CSP, ComparisonGroup, CrimeFigure, ReportingPeriod
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
            "csps": 15,
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
    for csp in CSP.objects.all():
        assert csp.ons_code == lookup[(csp.force, csp.name)], csp.label
