"""The chair's dashboard: every number from the engine and the delivery figures, per role."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.delivery import delivery_by_priority
from actions.models import Action, ProgressUpdate
from crime_stats.models import CSP, ComparisonGroup, CrimeFigure, GroupMembership, ReportingPeriod
from crime_stats.selectors import comparison_table
from priorities.models import FundingAllocation, PlanVersion

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 29)


def dashboard(client, **query):
    return client.get(reverse("home"), query)


def test_headline_figures_are_the_engines_for_the_latest_period(client_for, chair):
    response = dashboard(client_for(chair))
    panel = response.context["panel"]
    assert panel.selection.period.slug == "apr-dec-2018"
    focus = panel.focus
    assert (focus.rate, focus.position, focus.joint) == (Decimal("92.5"), 10, True)
    assert focus.change == Decimal("7.9")
    assert panel.place == "joint 10th"
    assert panel.previous_place == "11th"
    assert panel.movement == "1 place worse"
    page = response.content.decode()
    assert "92.5" in page and "joint 10th" in page
    assert "Up 7.9 (+9.3%) from 84.6 in April–December 2017" in page
    assert "11th in April–December 2017: 1 place worse" in page
    assert "Up 10.1 (+11.1%) from 91.4" in page  # MSG average 91.4 -> 101.5
    expected = comparison_table(panel.selection.group, panel.selection.period).narrative
    for sentence in expected:
        assert sentence.replace("'", "&#x27;") in page


def test_an_earlier_period_has_no_change_and_says_so(client_for, chair):
    response = dashboard(client_for(chair), period="apr-dec-2016")
    assert response.context["panel"].focus.change is None
    assert "No earlier comparable period" in response.content.decode()
    assert response.context["panel"].movement is None


def test_charts_carry_the_same_numbers_as_their_tables(client_for, chair):
    response = dashboard(client_for(chair))
    panel = response.context["panel"]
    bars = panel.bar_chart["data"][0]
    table_rates = sorted(
        [float(row.rate) for row in panel.table.comparison.rows] + [101.5], reverse=True
    )
    assert sorted(bars["x"], reverse=True) == pytest.approx(table_rates, abs=0.05)
    trend = {trace["name"]: list(trace["y"]) for trace in panel.trend_chart["data"]}
    assert trend["Leicestershire - Leicester"] == [70.7, 84.6, 92.5]
    page = response.content.decode()
    for figure_id in ("ranked-chart-data", "trend-chart-data", "delivery-chart-data"):
        assert f'id="{figure_id}" type="application/json"' in page
    assert 'id="ranked-table"' in page and 'id="trend-table"' in page
    assert 'id="delivery-table"' in page
    assert "<script>" not in page  # no inline script: charts are drawn by static/js/charts.js


def test_unknown_period_is_a_404_with_a_message(client_for, chair):
    response = dashboard(client_for(chair), period="apr-dec-1999")
    assert response.status_code == 404
    assert "There is no reporting period “apr-dec-1999”" in response.content.decode()


def test_delivery_by_priority_counts_statuses_overdue_and_money(chair):
    version = PlanVersion.objects.get(slug="refresh-2019-20")
    rows = {
        row.priority.letter: row
        for row in delivery_by_priority(version=version, user=chair, today=TODAY)
    }
    assert list(rows) == list("abcdef")
    a = rows["a"]
    actions = Action.objects.filter(work_stream__priority=a.priority)
    assert a.total == actions.count() == 4
    assert a.overdue == Action.objects.for_priority(a.priority).overdue(TODAY).count()
    assert a.statuses == {
        status: sum(1 for x in actions.with_progress() if x.current_status == status)
        for status in {x.current_status for x in actions.with_progress()}
    }
    assert a.allocation == sum(
        f.amount for f in FundingAllocation.objects.filter(work_stream__priority=a.priority)
    )
    assert a.spend == sum(
        u.spend for u in ProgressUpdate.objects.current().filter(action__in=actions)
    )


def test_a_lead_sees_delivery_only_for_priorities_they_can_read(client_for, lead, chair):
    rows = dashboard(client_for(lead)).context["delivery"].rows
    assert [row.priority.letter for row in rows] == ["a"]
    assert len(dashboard(client_for(chair)).context["delivery"].rows) == 6


def test_delivery_links_open_the_tracker_filtered_to_those_actions(client_for, chair):
    response = dashboard(client_for(chair))
    row = response.context["delivery"].rows[0]
    page = response.content.decode()
    link = f"{reverse('actions:tracker')}{row.tracker_query}&overdue=yes"
    assert f'href="{link.replace("&", "&amp;")}"' in page
    tracker = client_for(chair).get(link)
    assert len(tracker.context["actions"]) == row.overdue > 0


def test_dashboard_query_count_stays_constant_as_data_grows(
    client_for, chair, copy_actions, django_assert_num_queries
):
    client = client_for(chair)
    dashboard(client)  # warm the session and content types
    cache.clear()  # measure the full work, not the cached sections
    with CaptureQueriesContext(connection) as before:
        dashboard(client)
    _grow_tenfold(copy_actions)
    cache.clear()
    with django_assert_num_queries(len(before.captured_queries)):
        response = dashboard(client)
    assert len(response.context["panel"].table.comparison.rows) == 15 + 150


def _grow_tenfold(copy_actions) -> None:
    """Add ten times the CSPs (as group members with figures) and the demo's actions and updates."""
    group = ComparisonGroup.objects.get()
    periods = list(ReportingPeriod.objects.all())
    for number in range(150):
        csp = CSP.objects.create(force="Test force", name=f"Test CSP {number}")
        GroupMembership.objects.create(group=group, csp=csp, valid_from=datetime.date(2016, 4, 1))
        CrimeFigure.objects.bulk_create(
            CrimeFigure(csp=csp, period=p, rate=Decimal(50 + number % 90)) for p in periods
        )
    copy_actions(9, days=(1, 2, 3))


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert dashboard(client).status_code == 302


def test_pages_are_british_english_with_a_skip_link(client_for, chair):
    page = dashboard(client_for(chair)).content.decode()
    assert '<html lang="en-GB">' in page
    assert 'href="#main"' in page and 'id="main"' in page


def test_a_repeat_visit_is_served_from_the_cache(client_for, chair):
    client = client_for(chair)
    with CaptureQueriesContext(connection) as first:
        first_page = dashboard(client).content
    with CaptureQueriesContext(connection) as second:
        second_page = dashboard(client).content
    token = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub(b"", second_page) == token.sub(b"", first_page)
    assert len(second.captured_queries) < len(first.captured_queries)
    sql = " ".join(query["sql"] for query in second.captured_queries)
    assert '"crime_stats_crimefigure"."rate"' not in sql  # the engine did not run
    assert 'progressupdate"."spend"' not in sql  # nor the delivery sums


def test_a_new_progress_update_shows_at_once(client_for, chair, owner):
    client = client_for(chair)
    before = dashboard(client).context["delivery"].rows[0].spend
    action = Action.objects.get(title="Weapons amnesty bins")
    ProgressUpdate.objects.create(
        action=action,
        reported_on=datetime.date(2020, 3, 1),
        status="amber",
        narrative="Two more bins in.",
        spend=Decimal("1000"),
        author=owner,
    )
    response = dashboard(client)
    assert "£32,250" in response.content.decode()
    assert before == Decimal("31250")


def test_a_revised_figure_shows_at_once(client_for, chair):
    client = client_for(chair)
    assert "92.5" in dashboard(client).content.decode()
    figure = CrimeFigure.objects.get(csp__name="Leicester", period__slug="apr-dec-2018")
    figure.rate = Decimal("88.8")
    figure.save()
    page = dashboard(client).content.decode()
    assert "88.8" in page
    assert "In April–December 2018, Leicester recorded 88.8 crimes per 1,000" in page
