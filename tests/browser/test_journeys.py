"""Real browser journeys for what exists: signing in and out per role, the home page's table."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from crime_stats.models import CrimeFigure
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_a_lead_is_asked_for_the_code_and_a_wrong_one_is_refused(page, lead):
    from tests.conftest import totp_code, verified_device

    device = verified_device(lead)
    page.goto("/admin/")  # the sign-in page keeps where they were going
    page.get_by_label("Username").fill("lead")
    page.get_by_label("Password").fill("demo")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/accounts/two-factor/\?next="))
    page.locator("#id_code").fill("000000" if totp_code(device) != "000000" else "111111")
    page.get_by_role("button", name="Continue").click()
    alert = page.get_by_role("alert")
    assert "That code was not accepted." in alert.inner_text()
    # Refused: the portal is still out of reach.
    page.goto("/")
    assert "/accounts/two-factor/" in page.url


def test_a_lead_sets_up_an_authenticator_in_the_browser(page, lead):
    from base64 import b32decode

    from django_otp.oath import totp

    assert not TOTPDevice.objects.filter(user=lead).exists()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("lead")
    page.get_by_label("Password").fill("demo")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/accounts/two-factor/setup/"))
    assert page.get_by_role("img", name="QR code of your two-factor secret").is_visible()
    # As someone typing the key into an app that cannot scan.
    secret = "".join(page.locator("#totp-secret").inner_text().split())
    page.locator("#id_code").fill(f"{totp(b32decode(secret)):06d}")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    page.wait_for_url(re.compile(r"/recovery-codes/"))
    codes = page.get_by_role("list", name="Your recovery codes").locator("code").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="I have saved my codes, continue").click()
    page.wait_for_url(re.compile(r"/$"))
    assert "Strategic lead" in page.get_by_role("navigation", name="Main").inner_text()
    assert TOTPDevice.objects.get(user=lead).confirmed


def test_signing_out_ends_the_session(signed_in_page):
    page = signed_in_page("chair")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.goto("/")
    assert re.search(r"/accounts/login/\?next=/$", page.url)
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in to the SLP Portal"


def test_anonymous_visitors_are_sent_to_sign_in(page):
    for path in ("/", "/admin/", "/accounts/two-factor/recovery-codes/"):
        page.goto(path)
        assert "/accounts/login/" in page.url, path
        assert page.get_by_label("Username").is_visible()


def test_the_dashboard_draws_its_charts_beside_tables_of_the_plans_numbers(signed_in_page):
    page = signed_in_page("chair")
    # plotly has drawn every chart as SVG (charts.js marks each one when it is done).
    for chart in ("ranked-chart", "trend-chart", "delivery-chart"):
        page.locator(f"#{chart}.slp-chart-drawn svg.main-svg").first.wait_for()
    bars = page.locator("#ranked-chart .bars .point")
    assert bars.count() == 16  # 15 CSPs and the MSG average
    trend = page.locator("#trend-table tbody tr")
    assert [trend.nth(i).locator("td").all_inner_texts()[:2] for i in range(3)] == [
        ["70.7", "75.7"],
        ["84.6", "91.4"],
        ["92.5", "101.5"],
    ]
    leicester = page.locator("#ranked-table tbody tr.table-primary")
    assert leicester.locator("td").all_inner_texts()[:2] == ["joint 10", "92.5"]
    expected = [
        f"{figure.rate:.1f}"
        for figure in CrimeFigure.objects.filter(
            csp__name="Leicester", category="All crime"
        ).order_by("period__start")
    ]
    assert [trend.nth(i).locator("td").first.inner_text() for i in range(3)] == expected


def test_a_keyboard_alone_signs_a_lead_in_with_the_code(page, lead):
    from tests.conftest import totp_code, verified_device

    device = verified_device(lead)
    page.goto("/accounts/login/")
    keyboard = page.keyboard
    # Tab from the top: skip link, brand, then the username field.
    for _ in range(3):
        keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_username"
    keyboard.type("lead")
    keyboard.press("Tab")
    keyboard.type("demo")
    keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/accounts/two-factor/"))
    assert page.evaluate("document.activeElement.tagName") == "BODY"
    keyboard.press("Tab")  # skip link
    while page.evaluate("document.activeElement.id") != "id_code":
        keyboard.press("Tab")
    keyboard.type(totp_code(device))
    keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/$"))
    assert "Strategic lead" in page.get_by_role("navigation", name="Main").inner_text()


def test_sign_in_helper_meets_the_two_factor_step_for_admins(new_page, admin):
    page = new_page()
    sign_in(page, "admin")
    assert page.url.endswith("/")
    device = admin.totpdevice_set.get(confirmed=True)
    assert device.last_used_at is not None  # the code step really happened


def test_the_harness_catches_a_content_security_policy_violation(browser, live_server):
    from tests.browser.conftest import PageProblems

    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    problems = PageProblems()
    problems.watch(page)
    page.goto("/accounts/login/")
    # What a template with an inline style or script would do: the policy blocks both.
    page.evaluate(
        "() => { const s = document.createElement('style'); s.textContent = 'body{}';"
        " document.head.appendChild(s); const j = document.createElement('script');"
        " j.textContent = 'window.ran = true'; document.head.appendChild(j); }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.ran === undefined")
    context.close()
    assert len([p for p in problems.problems if "Content Security Policy" in p]) == 2
