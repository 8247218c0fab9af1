"""Outcome indicators: trends from the crime figures or a lead's quarterly values."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from partnership.models import IndicatorValue, OutcomeIndicator
from partnership.outcomes import indicator_trends
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


def test_process_limits_show_once_there_are_six_quarters(client_for, other_lead):
    indicator = OutcomeIndicator.objects.get(source="local", priority=priority("d"))
    url = reverse("partnership:priority_outcomes", args=[priority("d").pk])
    page = client_for(other_lead).get(url).content.decode()
    assert "an XmR chart needs at least 6; there are 3" in page
    for quarter, value in [("2020-03-31", "30"), ("2020-06-30", "31"), ("2020-09-30", "55")]:
        IndicatorValue.objects.create(
            indicator=indicator,
            quarter_ends_on=quarter,
            value=Decimal(value),
            entered_by=other_lead,
        )
    page = client_for(other_lead).get(url).content.decode()
    # Values 33, 31.5, 30.2, 30, 31, 55: mean 35.12; moving ranges 1.5, 1.3, 0.2, 1, 24 → 5.6;
    # limits 35.12 ± 14.896 = 20.2 to 50.0, so Jul–Sep 2020 (55) is outside.
    assert "Process limits (XmR chart): 20.2 to 50.0 around a mean of 35.1." in page
    assert "Signals of real change: Jul–Sep 2020 is outside the limits." in page
