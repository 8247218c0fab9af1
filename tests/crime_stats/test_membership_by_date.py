"""A period is compared with the group as it stood on the period's first day."""

import datetime
from decimal import Decimal

import pytest

from crime_stats.models import CSP, ComparisonGroup, CrimeFigure, GroupMembership, ReportingPeriod
from crime_stats.selectors import comparison_table

pytestmark = pytest.mark.django_db


@pytest.fixture
def group() -> ComparisonGroup:
    return ComparisonGroup.objects.select_related("focus").get()


@pytest.fixture
def revised(group):
    """Coventry leaves the group on 31 Mar 2018; a new CSP joins on 1 Apr 2018."""
    GroupMembership.objects.filter(group=group, csp__name="Coventry").update(
        valid_to=datetime.date(2018, 3, 31)
    )
    joiner = CSP.objects.create(force="Testshire", name="Joinborough")
    GroupMembership.objects.create(group=group, csp=joiner, valid_from=datetime.date(2018, 4, 1))
    for slug, rate in (("apr-dec-2017", "90.0"), ("apr-dec-2018", "100.0")):
        CrimeFigure.objects.create(
            csp=joiner, period=ReportingPeriod.objects.get(slug=slug), rate=Decimal(rate)
        )
    return joiner


def period(slug: str) -> ReportingPeriod:
    return ReportingPeriod.objects.get(slug=slug)


def members_on(group: ComparisonGroup, day: datetime.date) -> set[str]:
    return {m.csp.name for m in group.memberships.select_related("csp") if m.covers(day)}


def test_membership_follows_the_valid_from_and_valid_to_dates(group, revised):
    labels = members_on(group, datetime.date(2018, 3, 31))
    assert "Coventry" in labels and "Joinborough" not in labels
    labels = members_on(group, datetime.date(2018, 4, 1))
    assert "Coventry" not in labels and "Joinborough" in labels


def test_a_period_uses_the_group_of_its_time(group, revised):
    result = comparison_table(group, period("apr-dec-2018")).current
    members = {row.name for row in result.comparison.rows}
    assert members == members_on(group, datetime.date(2018, 4, 1))
    # 1522.1 without Coventry's 59.1, plus the joiner's 100.0, over 15.
    assert result.comparison.msg_average == (Decimal("1522.1") - Decimal("59.1") + 100) / 15
    # The previous period's average is that of the group as it stood in 2017 (with Coventry).
    assert result.comparison.previous_msg_average == Decimal("1370.4") / 15
    joiner = next(row for row in result.comparison.rows if row.name == "Joinborough")
    assert (joiner.change, joiner.position) == (Decimal("10.000"), 7)


def test_an_earlier_period_keeps_the_leaver_and_not_the_joiner(group, revised):
    result = comparison_table(group, period("apr-dec-2017")).current
    names = {row.name for row in result.comparison.rows}
    assert "Coventry" in names and "Joinborough" not in names
    assert result.comparison.msg_average == Decimal("1370.4") / 15


def test_the_table_marks_a_rate_from_before_the_csp_joined(group, revised):
    table = comparison_table(group, period("apr-dec-2018"))
    joiner = next(line for line in table.rows if line.row.name == "Joinborough")
    assert joiner.rates == [None, Decimal("90.000"), Decimal("100.000")]
    assert joiner.member_then == [False, False, True]
    assert table.has_outsiders
    assert [c.comparison.msg_average.quantize(Decimal("0.1")) for c in table.columns] == [
        Decimal("75.7"),
        Decimal("91.4"),
        Decimal("104.2"),
    ]


def test_trend_gives_focus_rate_average_and_spread_for_every_period(group):
    points = comparison_table(group, period("apr-dec-2018")).trend
    assert [p.period.slug for p in points] == ["apr-dec-2016", "apr-dec-2017", "apr-dec-2018"]
    assert [p.focus_rate for p in points] == [Decimal("70.7"), Decimal("84.6"), Decimal("92.5")]
    assert [p.msg_average for p in points] == [
        Decimal("1136.0") / 15,
        Decimal("1370.4") / 15,
        Decimal("1522.1") / 15,
    ]
    assert points[2].std_dev.quantize(Decimal("0.01")) == Decimal("25.45")


def test_selectors_take_a_constant_number_of_queries(group, django_assert_num_queries):
    chosen = period("apr-dec-2018")
    with django_assert_num_queries(3):
        comparison_table(group, chosen)
