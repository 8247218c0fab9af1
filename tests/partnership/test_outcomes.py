"""Outcome indicators: trends from the crime figures or a lead's quarterly values."""

import datetime
import math
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse

from crime_stats.display import precision, shown
from crime_stats.models import ComparisonGroup, CrimeFigure, ReportingPeriod
from crime_stats.selectors import comparison_table
from partnership.models import IndicatorValue, OutcomeIndicator
from partnership.outcomes import indicator_chart, indicator_trends
from priorities.models import Priority

pytestmark = pytest.mark.django_db


def priority(letter: str) -> Priority:
    return Priority.objects.get(version__slug="refresh-2019-20", letter=letter)


def test_a_crime_indicator_follows_the_focus_csp_s_rates_in_its_category():
    trends = {t.indicator.name: t for t in indicator_trends(priority("a"))}
    all_crime = trends["All crime, crimes per 1,000"]
    # Leicester's rates in the plan's table (fixtures/seed), oldest first.
    assert [(p.label, p.value) for p in all_crime.points] == [
        ("April–December 2016", Decimal("70.700")),
        ("April–December 2017", Decimal("84.600")),
        ("April–December 2018", Decimal("92.500")),
    ]
    assert all_crime.movement == "worse"  # lower is better, and 84.6 → 92.5
    assert all_crime.meets_target is False  # target 90
    assert trends["Possession of weapons offences, crimes per 1,000"].points == []


def test_the_lead_records_a_quarter_and_the_page_shows_it(client_for, other_lead):
    indicator = OutcomeIndicator.objects.get(source="local", priority=priority("d"))
    url = reverse("partnership:indicator_record", args=[indicator.pk])
    client = client_for(other_lead)  # lead2 leads priority d
    response = client.post(url, {"quarter_ends_on": "2020-03-31", "value": "27.4", "note": ""})
    assert response.status_code == 302
    saved = IndicatorValue.objects.get(indicator=indicator, quarter_ends_on="2020-03-31")
    assert (saved.value, saved.entered_by) == (Decimal("27.400"), other_lead)
    page = client.get(reverse("partnership:priority_outcomes", args=[priority("d").pk]))
    text = page.content.decode()
    assert "Latest: <strong>27.4 %</strong> (Jan–Mar 2020)" in text
    assert "better than the value before; meets the target" in text
    assert f'id="indicator-chart-{indicator.pk}"' in text
    # Entering the quarter again corrects it; history keeps the old value.
    client.post(url, {"quarter_ends_on": "2020-03-31", "value": "29", "note": "Corrected"})
    saved.refresh_from_db()
    assert saved.value == Decimal("29.000")
    assert [h.value for h in saved.history.order_by("history_id")] == [
        Decimal("27.400"),
        Decimal("29.000"),
    ]


def test_a_day_that_is_not_a_quarter_end_is_refused_keeping_the_value(client_for, other_lead):
    indicator = OutcomeIndicator.objects.get(source="local", priority=priority("d"))
    before = IndicatorValue.objects.count()
    response = client_for(other_lead).post(
        reverse("partnership:indicator_record", args=[indicator.pk]),
        {"quarter_ends_on": "2020-03-15", "value": "27.4"},
    )
    assert "Give the last day of a quarter" in response.content.decode()
    assert 'value="27.4"' in response.content.decode()
    assert IndicatorValue.objects.count() == before


def test_another_priority_s_lead_may_not_enter_values(client_for, lead):
    indicator = OutcomeIndicator.objects.get(source="local", priority=priority("d"))
    response = client_for(lead).post(
        reverse("partnership:indicator_record", args=[indicator.pk]),
        {"quarter_ends_on": "2020-03-31", "value": "1"},
    )
    assert response.status_code == 403
    assert not IndicatorValue.objects.filter(quarter_ends_on=datetime.date(2020, 3, 31)).exists()


def test_the_line_of_sight_shows_only_actions_the_reader_may_see(client_for, lead, other_lead):
    url = reverse("partnership:priority_outcomes", args=[priority("a").pk])
    mine = client_for(lead).get(url)
    assert "Weapons amnesty bins" in mine.content.decode()
    assert mine.context["delivery"].spend >= 0
    theirs = client_for(other_lead).get(url)
    assert "Weapons amnesty bins" not in theirs.content.decode()
    assert theirs.context["delivery"] is None
    assert "All crime, crimes per 1,000" in theirs.content.decode()


def quarters(first_end: datetime.date, count: int) -> list[datetime.date]:
    """Return `count` quarter ends from `first_end` on."""
    ends, end = [], first_end
    for _ in range(count):
        ends.append(end)
        following = datetime.date(end.year + (end.month == 12), end.month % 12 + 1, 1)
        end = (following + relativedelta(months=3)) - datetime.timedelta(days=1)
    return ends


def test_process_limits_need_seven_quarters_as_on_the_crime_pages(client_for, other_lead):
    url = reverse("partnership:priority_outcomes", args=[priority("d").pk])
    page = client_for(other_lead).get(url).content.decode()
    assert "an XmR chart needs at least 7, six for the limits and the latest" in page
    assert "there are 3." in page
    assert "A local measure entered by its lead has no offence count" in page
    assert f'href="{reverse("methods")}#spc"' in page


def test_a_run_of_seven_on_one_side_is_a_signal_in_the_crime_pages_words(client_for, chair):
    """Making Data Count's shift is 7 in a row (NHSRplotthedots); Wheeler's rule the page used
    before needed 8 and missed this run; it also drew limits from every value, latest included,
    which left Apr–Jun 2018 (15) inside them."""
    indicator = OutcomeIndicator.objects.create(
        priority=priority("b"),
        name="Repeat referrals, per quarter",
        source="local",
        unit="referrals",
        direction="lower",
    )
    values = ["16", "15", "10", "11", "10", "11", "10", "11", "10", "12"]
    for end, value in zip(quarters(datetime.date(2018, 3, 31), 10), values, strict=True):
        IndicatorValue.objects.create(
            indicator=indicator, quarter_ends_on=end, value=Decimal(value), entered_by=chair
        )
    # Baseline: the nine quarters before the latest. Mean 104 / 9 = 11.556. Moving ranges
    # 1, 5, 1, 1, 1, 1, 1, 1 (mean 1.5); 5 > 3.267 × 1.5 is screened out, leaving a mean of 1;
    # limits 11.556 ± 2.66 = 8.896 to 14.216: 16 and 15 are above; Jul–Sep 2018 to
    # Jan–Mar 2020 are seven quarters below the mean.
    response = client_for(chair).get(
        reverse("partnership:priority_outcomes", args=[priority("b").pk])
    )
    page = response.content.decode()
    assert "Process limits (XmR chart): 8.9 to 14.2 around a mean of 11.6, from the 9" in page
    assert "Jan–Mar 2018 (16) is above the upper process limit (14.2): a real change" in page
    assert "Apr–Jun 2018 (15) is above the upper process limit (14.2)" in page
    assert (
        "Jul–Sep 2018 to Jan–Mar 2020: 7 quarters in a row on the same side of the mean: "
        "a sustained shift." in page
    )
    assert "<td>shift: 7+ on one side</td>" in page
    chart = next(c for t, c, _ in response.context["trends"] if t.indicator == indicator)
    names = [t["name"] for t in chart["data"]]
    assert "Upper process limit (14.2)" in names and "Mean (11.6)" in names


def leicester_quarter_figures(category: str, offences: list[int | None]) -> list:
    """Give Leicester quarterly figures in `category` from Jan–Mar 2019, population 355,000."""
    group = ComparisonGroup.objects.select_related("focus").get()
    periods = []
    ends = quarters(datetime.date(2019, 3, 31), len(offences))
    for end, count in zip(ends, offences, strict=True):
        start = datetime.date(end.year, end.month - 2, 1)
        period, _ = ReportingPeriod.objects.get_or_create(
            start=start,
            end=end,
            defaults={"label": f"{start:%B}–{end:%B %Y}", "slug": f"q-{end:%Y-%m}"},
        )
        rate = Decimal(count or 9000) / 355 if count is not None else Decimal("25.352")
        CrimeFigure.objects.create(
            csp=group.focus,
            period=period,
            category=category,
            rate=rate.quantize(Decimal("0.001")),
            offences=count,
            population=355_000 if count is not None else None,
        )
        periods.append(period)
    return periods


def byar(observed: int, z: float = 1.959964) -> tuple[float, float]:
    """Byar's 95% limits of a count, per PHE's technical guide (appendix 1), by hand."""
    lower = observed * (1 - 1 / (9 * observed) - z / (3 * math.sqrt(observed))) ** 3
    o = observed + 1
    return lower, o * (1 - 1 / (9 * o) + z / (3 * math.sqrt(o))) ** 3


def test_a_crime_indicator_shows_the_comparison_table_s_interval_and_verdict(client_for, lead):
    category = "Violence against the person"
    OutcomeIndicator.objects.create(
        priority=priority("a"),
        name="Violence, crimes per 1,000",
        source="crime",
        category=category,
        unit="crimes per 1,000",
        direction="lower",
    )
    periods = leicester_quarter_figures(category, [8000, 8100, 8200, 8300, 9000])
    group = ComparisonGroup.objects.select_related("focus").get()
    # A nine-month figure of the plan's table sits in the table, not on the quarters' chart.
    CrimeFigure.objects.create(
        csp=group.focus,
        period=ReportingPeriod.objects.get(label="April–December 2018"),
        category=category,
        rate=Decimal("70.000"),
    )
    table = comparison_table(group, periods[-1], category)
    row = next(r for r in table.current.comparison.rows if r.is_focus)
    with precision(table.places):
        table_interval = f"{shown(row.lower)}–{shown(row.upper)}"
    low, high = byar(9000)
    assert table_interval == f"{low / 355:.1f}–{high / 355:.1f}" == "24.8–25.9"
    page = client_for(lead).get(reverse("partnership:priority_outcomes", args=[priority("a").pk]))
    text = page.content.decode()
    assert (
        f'<td class="text-end">25.4</td><td class="text-end text-nowrap">{table_interval}' in text
    )
    assert "(January–March 2020; 95% interval 24.8–25.9)" in text
    # 9,000 against 8,000 a year before, same population: the score test's p is far below 0.05.
    assert "Real change? Against January–March 2019 (22.5): real rise." in text
    trend = next(t for t, _, _ in page.context["trends"] if t.indicator.category == category)
    assert trend.off_chart == 1 and trend.movement == "worse"  # 23.4 → 25.4, lower is better
    assert "the 1 figure for longer or shorter periods is in the table only" in text
    chart = indicator_chart(trend)
    assert chart["data"][0]["x"] == [
        "Jan–Mar 2019",
        "Apr–Jun 2019",
        "Jul–Sep 2019",
        "Oct–Dec 2019",
        "Jan–Mar 2020",
    ]
    whisker = chart["data"][0]["error_y"]
    assert round(whisker["array"][-1], 3) == round(high / 355 - 25.352, 3)


def test_crime_figures_without_counts_say_no_interval_can_be_given(client_for, chair):
    OutcomeIndicator.objects.create(
        priority=priority("a"),
        name="Violence, crimes per 1,000",
        source="crime",
        category="Violence against the person",
        unit="crimes per 1,000",
        direction="lower",
    )
    leicester_quarter_figures("Violence against the person", [None] * 5)
    text = (
        client_for(chair)
        .get(reverse("partnership:priority_outcomes", args=[priority("a").pk]))
        .content.decode()
    )
    assert "No intervals: these figures were loaded as rates without offence counts" in text
    assert "no interval can be given: these figures were loaded as rates without offence" in text
    assert '<td class="text-end text-nowrap">no count</td>' in text
