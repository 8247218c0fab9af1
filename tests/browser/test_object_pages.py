"""Charts drawn as SVG on every page that has them, and axe-core on the pages that need an object.

test_accessibility.py visits the pages every role can open without an id; these are the ones
reached from a list (an action, its forms, a data preview) and the plan's own pages.
"""

import pytest

from actions.models import Action
from tests.browser.conftest import assert_accessible, upload_figures, wait_for_charts

pytestmark = pytest.mark.browser

CHARTS = {
    "/": ["ranked-chart", "trend-chart", "delivery-chart"],
    "/comparison/": ["ranked-chart", "trend-chart"],
}


def _drawn_charts(page) -> list[str]:
    """Return the ids of the page's charts that plotly has drawn as SVG."""
    return page.locator(".slp-chart").evaluate_all(
        "charts => charts.filter(c => c.classList.contains('slp-chart-drawn')"
        " && c.querySelector('svg.main-svg')).map(c => c.id)"
    )


def test_every_chart_is_drawn_as_svg_on_the_dashboard_and_the_comparison(signed_in_page):
    page = signed_in_page("chair")
    for path, charts in CHARTS.items():
        page.goto(path)
        wait_for_charts(page, charts)
        # Every chart on the page, not only the ones named here, has drawn.
        all_charts = page.locator(".slp-chart").evaluate_all("c => c.map(e => e.id)")
        assert sorted(_drawn_charts(page)) == sorted(all_charts) == sorted(charts), path
        assert page.locator("#ranked-chart .bars .point").count() == 16, path


def test_pages_reached_from_a_list_have_no_wcag_violations(signed_in_page):
    action = Action.objects.filter(work_stream__priority__letter="a").order_by("pk").first()
    lead = signed_in_page("lead")
    for path in (
        f"/actions/{action.pk}/",
        f"/actions/{action.pk}/update/",
        f"/actions/{action.pk}/edit/",
        "/board-pack/",
        "/priorities/",
        "/priorities/changes/",
    ):
        response = lead.goto(path)
        assert response.status == 200, path
        assert_accessible(lead)
    # The progress form as it is shown with errors.
    lead.goto(f"/actions/{action.pk}/update/")
    lead.locator("#id_reported_on").fill("")
    lead.get_by_role("button", name="Log progress").click()
    assert lead.get_by_role("alert").first.is_visible()
    assert_accessible(lead)

    chair = signed_in_page("chair")
    for path in ("/board-pack/", "/priorities/", "/priorities/changes/", "/comparison/"):
        assert chair.goto(path).status == 200, path
        assert_accessible(chair)

    admin = signed_in_page("admin")
    for path in ("/data/", "/data/upload/"):
        assert admin.goto(path).status == 200, path
        assert_accessible(admin)
    # A preview with a confirm form, then one with problems.
    upload_figures(admin, "one.csv", b"CSP,April-December 2019\nLeicestershire - Leicester,80\n")
    assert admin.get_by_role("button", name="Confirm and load the figures").is_visible()
    assert_accessible(admin)
    upload_figures(admin, "bad.csv", b"CSP,April-December 2019\nAtlantis,1\nLeicester,lots\n")
    assert admin.locator("table.import-problems").is_visible()
    assert_accessible(admin)


def test_partnership_pages_have_no_wcag_violations(signed_in_page):
    from partnership.models import BoardMeeting, DutyOccurrence, OutcomeIndicator
    from priorities.models import Priority
    from tests.partnership.helpers import board_meetings

    chair_user = BoardMeeting._meta.get_field("created_by").related_model.objects.get(
        username="chair"
    )
    meetings = board_meetings(chair_user)
    priority = Priority.objects.get(version__slug="refresh-2019-20", letter="a")
    chair = signed_in_page("chair")
    for path in (
        f"/board/{meetings['meeting']}/",
        f"/board/{meetings['meeting']}/changes/",
        f"/board/{meetings['issued_meeting']}/pack/",
        "/board/changes/?first=2019-04-01&last=2020-03-31",
        "/board/changes/?first=2020-03-31&last=2019-04-01",  # the error, as shown
        f"/priorities/{priority.pk}/outcomes/",
        f"/duties/{DutyOccurrence.objects.get(duty__slug='dhr-dardr').pk}/",
    ):
        assert chair.goto(path).status == 200, path
        assert_accessible(chair)
    lead = signed_in_page("lead2")
    indicator = OutcomeIndicator.objects.get(source="local")
    for path in (f"/indicators/{indicator.pk}/record/", "/duties/"):
        assert lead.goto(path).status == 200, path
        assert_accessible(lead)
    # The form as shown with an error.
    lead.goto(f"/indicators/{indicator.pk}/record/")
    lead.locator("#id_quarter_ends_on").fill("2020-03-15")
    lead.locator("#id_value").fill("1")
    lead.get_by_role("button", name="Save the value").click()
    assert "Give the last day of a quarter" in lead.get_by_role("main").inner_text()
    assert_accessible(lead)
