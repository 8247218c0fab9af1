"""The four journeys of issue 6, driven through the real pages as people use them.

Each journey signs its people in through the real forms (one Chromium for the session, a fresh
context per person), asserts what they rely on, then checks the database.
"""

import re
from decimal import Decimal

import pytest

from actions.models import Action, ProgressUpdate
from crime_stats.models import CrimeFigure, ImportBatch, ReportingPeriod
from tests.browser.conftest import upload_figures, wait_for_charts

pytestmark = pytest.mark.browser

# The plan's 2018 rates (fixtures/seed), each CSP up 5.0 in 2019 except Leicester, down to 80.0.
RATES_2018 = {
    "Bedfordshire - Luton": "77.7",
    "Cleveland - Middlesbrough": "122.3",
    "Greater Manchester - Bolton": "94.4",
    "Greater Manchester - Manchester": "129.6",
    "Greater Manchester - Salford": "93.3",
    "Humberside - Kingston upon Hull, City of": "122.7",
    "Lancashire - Blackpool": "167.7",
    "Leicestershire - Leicester": "92.5",
    "Lincolnshire - Lincoln": "93.2",
    "Merseyside - Liverpool": "92.2",
    "Northumbria - Newcastle upon Tyne": "109.8",
    "Nottinghamshire - Nottingham": "101.8",
    "Staffordshire - Stoke-on-Trent": "92.5",
    "West Midlands - Birmingham": "73.3",
    "West Midlands - Coventry": "59.1",
}


def _rate_2019(csp: str) -> Decimal:
    if csp == "Leicestershire - Leicester":
        return Decimal("80.0")
    return Decimal(RATES_2018[csp]) + 5


def wide_csv() -> bytes:
    """Return a wide-layout CSV of April–December 2019 for the 15 CSPs of the MSG."""
    lines = ["CSP,April-December 2019"]
    for csp in RATES_2018:
        lines.append(f'"{csp}",{_rate_2019(csp)}')
    return ("\n".join(lines) + "\n").encode()


def test_an_admin_loads_a_year_the_chair_sees_it_and_the_admin_undoes_it(signed_in_page):
    figures_before = CrimeFigure.objects.count()
    admin = signed_in_page("admin")
    upload_figures(admin, "msg-2019.csv", wide_csv())

    # The preview lists the 15 figures it will create; nothing is written yet.
    main = admin.get_by_role("main")
    assert "15 figures will be created" in main.inner_text()
    created = admin.locator("section[aria-labelledby='created-heading'] tbody tr")
    assert created.count() == 15
    leicester_row = created.filter(has_text="Leicestershire - Leicester")
    assert leicester_row.locator("td").all_inner_texts() == [
        "Leicestershire - Leicester",
        "April–December 2019",
        "All crime",
        "80.000",
        "–",  # a rate-only file gives no offences or population
        "–",
    ]
    assert "April–December 2019" in admin.locator("#periods-heading + ul").inner_text()
    assert not ReportingPeriod.objects.filter(slug="apr-dec-2019").exists()
    assert CrimeFigure.objects.count() == figures_before

    admin.get_by_role("button", name="Confirm and load the figures").click()
    # The load runs as a job (in the suite at once); the batch page shows how it ended.
    admin.wait_for_url(re.compile(r"/data/\d+/$"))
    assert "15 figures created, 0 revised, 0 unchanged" in admin.get_by_role("main").inner_text()
    batch = ImportBatch.objects.get(file_name="msg-2019.csv")
    assert (batch.status, batch.rows_created) == (ImportBatch.Status.COMMITTED, 15)
    leicester = CrimeFigure.objects.get(
        csp__name="Leicester", period__slug="apr-dec-2019", category="All crime"
    )
    assert leicester.rate == Decimal("80.000") and leicester.batch == batch
    assert CrimeFigure.objects.count() == figures_before + 15

    # The chair's dashboard now opens on the new period, ranked from these figures: 12 CSPs
    # have a higher rate than Leicester's 80.0, so it is 13th (it was joint 10th in 2018).
    chair = signed_in_page("chair")
    wait_for_charts(chair, ["ranked-chart", "trend-chart", "delivery-chart"])
    main = chair.get_by_role("main")
    assert "All crime, April–December 2019." in main.locator("p.lead").first.inner_text()
    headline = chair.locator(".headline-figures")
    assert "13th of 15" in headline.inner_text()
    assert "joint 10th in April–December 2018: 3 places better" in headline.inner_text()
    assert "Down 12.5 (-13.5%) from 92.5 in April–December 2018" in headline.inner_text()
    narrative = chair.locator(".headline-list li").all_inner_texts()
    assert narrative[0] == (
        "In April–December 2019, Leicester recorded 80.0 crimes per 1,000 people (All crime), "
        "down 12.5 (13.5%) from 92.5 in April–December 2018."
    )
    assert narrative[1].startswith(
        "Leicester was 13th of 15, having been joint 10th in April–December 2018: "
        "a higher number, so a better position."
    )
    assert narrative[2] == (
        "2 CSPs had fewer crimes per 1,000 than Leicester: Coventry (64.1) and Birmingham (78.3)."
    )
    assert chair.locator("#ranked-chart .bars .point").count() == 16

    # The admin undoes the batch from the data-loading page.
    admin.goto("/data/")
    admin.get_by_role("row", name=re.compile("msg-2019.csv")).get_by_role("link").filter(
        has_text=re.compile("Undo")
    ).first.click()
    admin.wait_for_url(re.compile(rf"/data/{batch.pk}/undo/$"))
    admin.get_by_role("button", name=re.compile("Undo")).click()
    admin.wait_for_url(re.compile(rf"/data/{batch.pk}/$"))
    assert "Undid msg-2019.csv" in admin.get_by_role("main").inner_text()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.UNDONE
    assert not CrimeFigure.objects.filter(period__slug="apr-dec-2019").exists()
    assert CrimeFigure.objects.count() == figures_before

    chair.goto("/")
    wait_for_charts(chair, ["ranked-chart"])
    assert "All crime, April–December 2018." in chair.locator("main p.lead").first.inner_text()
    assert "joint 10th of 15" in chair.locator(".headline-figures").inner_text()


def _delivery_row(page, letter: str) -> dict[str, str]:
    """Return the dashboard's delivery figures for one priority, keyed by column heading."""
    table = page.locator("#delivery-table")
    headings = table.locator("thead th").all_inner_texts()
    cells = table.locator("tbody tr").evaluate_all(
        "(rows, letter) => rows.map(r => [...r.cells].map(c => c.innerText))"
        ".find(cells => cells[0].startsWith(letter + '.'))",
        letter,
    )
    return dict(zip([h.strip() for h in headings], [c.strip() for c in cells], strict=True))


def _pounds(text: str) -> int:
    return int(re.match(r"£([\d,]+)", text).group(1).replace(",", ""))


def test_a_lead_logs_progress_by_keyboard_and_the_chair_sees_it_at_once(signed_in_page, lead):
    chair = signed_in_page("chair")
    wait_for_charts(chair, ["delivery-chart"])
    before = _delivery_row(chair, "a")  # the chair's visit fills the dashboard's cache

    page = signed_in_page("lead")
    page.goto("/actions/mine/")
    rows = page.locator("table.my-actions tbody tr")
    first = rows.first
    assert "Overdue" in first.locator("td").first.inner_text()  # overdue listed first
    overdue_rows = rows.filter(has=page.locator(".overdue-badge"))
    assert overdue_rows.count() >= 1
    # Every overdue row comes before every other row.
    flags = [row.locator(".overdue-badge").count() for row in rows.all()]
    assert flags == sorted(flags, reverse=True)
    title = first.locator("td a").first.inner_text()
    action = Action.objects.with_progress().get(title=title)
    assert action.current_status == "red"  # the demo's overdue action was last reported red
    updates_before = action.updates.count()

    keyboard = page.keyboard
    first.get_by_role("link", name=re.compile("^Log progress")).focus()
    keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/actions/{action.pk}/update/$"))

    def tab_to(element_id: str) -> None:
        for _ in range(60):
            if page.evaluate("document.activeElement.id") == element_id:
                return
            keyboard.press("Tab")
        raise AssertionError(f"Tab never reached #{element_id}")

    tab_to("id_reported_on")
    # 3 March 2020: in 2019/20 and after the demo's last update; the same digits whether
    # Chromium orders the date's segments day-first or month-first.
    keyboard.type("03032020")
    assert page.locator("#id_reported_on").input_value() == "2020-03-03"
    tab_to("id_indicator_value")  # Tab first walks the date's day, month and year
    keyboard.type("12")
    keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_spend"
    keyboard.type("1250")
    keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "status"
    for _ in range(5):  # arrow keys move the choice within the radio group
        if page.evaluate("document.activeElement.value") == "amber":
            break
        keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.value") == "amber"
    keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_narrative"
    keyboard.type("Venue closed for refurbishment; sessions paused.")
    keyboard.press("Tab")
    keyboard.type("Find a second venue.")
    tab_to("submit-id-save")
    keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/actions/{action.pk}/$"))
    assert f"Progress logged on “{action.title}”." in page.get_by_role("main").inner_text()

    assert action.updates.count() == updates_before + 1
    update = ProgressUpdate.objects.filter(action=action).latest("created_at")
    assert (update.status, update.spend, update.author, update.indicator_value) == (
        "amber",
        Decimal("1250"),
        lead,
        Decimal("12"),
    )
    assert str(update.reported_on) == "2020-03-03"
    assert update.narrative == "Venue closed for refurbishment; sessions paused."
    assert Action.objects.with_progress().get(pk=action.pk).current_status == "amber"

    # The chair's next look at the dashboard shows it: one red fewer, one more amber, and
    # £1,250 more spend.
    chair.reload()
    wait_for_charts(chair, ["delivery-chart"])
    after = _delivery_row(chair, "a")
    assert int(after["Red: off track"]) == int(before["Red: off track"]) - 1
    assert int(after["Amber: at risk"]) == int(before["Amber: at risk"]) + 1
    assert _pounds(after["Spend"]) == _pounds(before["Spend"]) + 1250
    assert after["All"] == before["All"]


def _post_forms(page) -> list[str]:
    return page.locator("form").evaluate_all(
        "forms => forms.filter(f => f.method.toLowerCase() === 'post').map(f => f.action)"
    )


def test_an_owner_is_refused_another_prioritys_action_and_a_chair_can_change_nothing(
    signed_in_page,
):
    action = Action.objects.filter(work_stream__priority__letter="d").order_by("pk").first()
    updates = action.updates.count()
    owner = signed_in_page("owner")
    for path in (f"/actions/{action.pk}/update/", f"/actions/{action.pk}/"):
        response = owner.goto(path)
        assert response.status in (403, 404), path
        text = owner.locator("body").inner_text()
        assert action.title not in text and action.indicator not in text, path
        assert owner.locator("form#id_narrative, #id_narrative").count() == 0
    assert action.updates.count() == updates

    chair = signed_in_page("chair")
    chaired = Action.objects.filter(work_stream__priority__letter="a").order_by("pk").first()
    for path in ("/", f"/actions/{chaired.pk}/", "/actions/"):
        response = chair.goto(path)
        assert response.status == 200, path
        assert [action.split("/", 3)[-1] for action in _post_forms(chair)] == [
            "accounts/logout/"
        ], path
        links = chair.locator("main a").evaluate_all("links => links.map(a => a.pathname)")
        changing = [href for href in links if re.search(r"/(update|edit|new|undo)/$", href)]
        assert changing == [], path
        buttons = chair.get_by_role("main").get_by_role("button").all_inner_texts()
        assert not [b for b in buttons if re.search(r"log|edit|save|delete|add", b, re.I)], path


BAD_FILE = (
    b"CSP,April-December 2019\n"
    b"Atlantis,50.0\n"
    b"Leicestershire - Leicester,lots\n"
    b"Nottinghamshire - Nottingham,-4\n"
    b"West Midlands - Coventry,60.0\n"
    b"West Midlands - Coventry,61.0\n"
)


def test_a_bad_upload_shows_every_problem_by_row_and_changes_nothing(signed_in_page):
    figures = list(CrimeFigure.objects.order_by("pk").values_list("pk", "rate", "batch"))
    batches = ImportBatch.objects.count()
    periods = ReportingPeriod.objects.count()
    admin = signed_in_page("admin")
    upload_figures(admin, "bad.csv", BAD_FILE)

    # Every problem, by row (the header is row 1) and column; the unknown CSP by its row.
    problems = admin.locator("table.import-problems tbody tr")
    assert [row.locator("td").all_inner_texts()[1:] for row in problems.all()] == [
        [
            "3",
            "April-December 2019",
            "'lots' is not a number: give the crimes per 1,000 as a number such as 77.7",
        ],
        ["4", "April-December 2019", "'-4' is negative: a rate per 1,000 cannot be below zero"],
        [
            "6",
            "CSP",
            "this row repeats 'West Midlands - Coventry' from row 5: keep one row per CSP",
        ],
    ]
    main = admin.get_by_role("main")
    assert "3 problems: nothing can be loaded" in main.inner_text()
    unknown = admin.locator("section[aria-labelledby='unknown-heading'] tbody tr")
    assert unknown.locator("td").all_inner_texts()[:3] == ["Atlantis", "1", "2"]
    # Nothing offers to load it, nor tells the admin to confirm.
    assert main.get_by_role("button").count() == 0
    assert admin.locator("form[method=post]").evaluate_all("f => f.length") == 1  # sign out
    assert "confirm below" not in main.inner_text()

    # The pipeline records the rejected batch with every problem, and writes nothing else.
    batch = ImportBatch.objects.get(file_name="bad.csv")
    assert (batch.status, batch.rows_rejected) == (ImportBatch.Status.REJECTED, 3)
    assert [(error["row"], error["column"]) for error in batch.errors] == [
        (3, "April-December 2019"),
        (4, "April-December 2019"),
        (6, "CSP"),
        (2, "CSP"),  # the unknown CSP, recorded with the problems
    ]
    assert ImportBatch.objects.count() == batches + 1
    assert list(CrimeFigure.objects.order_by("pk").values_list("pk", "rate", "batch")) == figures
    assert ReportingPeriod.objects.count() == periods
