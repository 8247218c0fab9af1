"""axe-core on every page for every role, the skip link, focus styles and reflow at 320 px.

When a page lands, add it to PAGES_BY_ROLE for the roles that may open it. Each role signs in
once per test (through the real forms), which keeps the suite quick.
"""

import re

import pytest

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser

# Every page each role can open today (the two-factor steps are checked in their own test).
COMMON = [
    "/",
    "/accessibility/",
    "/methods/",
    "/board/",
    "/duties/",
    "/accounts/two-factor/recovery-codes/",
]
PAGES_BY_ROLE = {
    "admin": [*COMMON, "/admin/"],
    "chair": COMMON,
    # Moving to a new authenticator: password, current code, then the new app's code.
    "lead": [*COMMON, "/accounts/two-factor/setup/"],
    "lead2": COMMON,
    # An owner is offered two-factor sign-in on the Sign-in security page.
    "owner": COMMON,
}
ANONYMOUS_PAGES = ["/accounts/login/", "/accessibility/"]


ROLE_LABELS = {
    "admin": "Admin",
    "chair": "Chair",
    "lead": "Strategic lead",
    "lead2": "Strategic lead",
    "owner": "Action owner",
}


@pytest.mark.parametrize("username", PAGES_BY_ROLE)
def test_each_role_signs_in_and_every_page_they_open_has_no_wcag_violations(
    signed_in_page, username
):
    page = signed_in_page(username)
    navigation = page.get_by_role("navigation", name="Main")
    assert ROLE_LABELS[username] in navigation.inner_text()
    administration = navigation.get_by_role("link", name="Administration")
    assert administration.count() == (1 if username == "admin" else 0)
    security = navigation.get_by_role("link", name="Sign-in security")
    assert security.count() == 1
    for path in PAGES_BY_ROLE[username]:
        response = page.goto(path)
        assert response.status == 200, path
        assert_accessible(page)


def test_pages_open_to_everyone_have_no_wcag_violations(page):
    for path in ANONYMOUS_PAGES:
        page.goto(path)
        assert_accessible(page)
    # The sign-in page with an error and with the lockout message shown.
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("chair")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    assert "did not match" in page.get_by_role("alert").inner_text()
    assert_accessible(page)
    for _ in range(4):
        page.get_by_label("Password").fill("wrong")
        page.get_by_role("button", name="Sign in").click()
    assert "Too many failed attempts" in page.get_by_role("alert").inner_text()
    assert_accessible(page)


def test_the_two_factor_steps_have_no_wcag_violations(new_page, lead):
    from tests.conftest import verified_device

    # Setting up (no device yet), with a refused code shown.
    page = new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("lead2")
    page.get_by_label("Password").fill("demo")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/accounts/two-factor/setup/"))
    assert_accessible(page)
    page.locator("#id_code").fill("12")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    assert page.get_by_role("alert").is_visible()
    assert_accessible(page)

    # Entering the code, with a refused code shown.
    verified_device(lead)
    page = new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("lead")
    page.get_by_label("Password").fill("demo")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/accounts/two-factor/\?"))
    assert_accessible(page)
    page.locator("#id_code").fill("not-a-code")
    page.get_by_role("button", name="Continue").click()
    assert "That code was not accepted." in page.get_by_role("alert").inner_text()
    assert_accessible(page)


def test_the_skip_link_is_the_first_stop_and_moves_focus_to_the_content(signed_in_page):
    page = signed_in_page("chair")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    box = skip.bounding_box()
    assert box["width"] > 50 and box["height"] > 20  # shown on focus, not a 1 px clip
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    assert page.evaluate("document.activeElement.id") == "main"
    # The next Tab goes into the content (the dashboard's first control), not the navigation.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('header') === null")
    assert page.evaluate("document.activeElement.closest('main') !== null")
    assert page.evaluate("document.activeElement.id") == "id_group"


def test_keyboard_focus_is_clearly_visible(page):
    page.goto("/accounts/login/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # the brand link in the navigation
    style = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow]; })()"
    )
    assert style[0] == "solid" and style[1] == "3px"
    assert style[2] == "rgb(255, 221, 0)"
    assert "rgb(11, 12, 12)" in style[3]


def test_pages_reflow_to_320_pixels_without_sideways_scrolling(signed_in_page):
    page = signed_in_page("chair")
    page.set_viewport_size({"width": 320, "height": 640})
    for path in PAGES_BY_ROLE["chair"]:
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path


def test_the_footer_links_to_the_accessibility_statement_without_signing_in(page):
    page.goto("/accounts/login/")
    page.get_by_role("contentinfo").get_by_role("link", name="Accessibility statement").click()
    page.wait_for_url(re.compile(r"/accessibility/$"))
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == "Accessibility statement for the SLP Portal"
    text = page.get_by_role("main").inner_text()
    for section in (
        "How accessible this portal is",
        "Feedback and contact information",
        "Enforcement procedure",
        "Compliance status",
        "Preparation of this accessibility statement",
    ):
        assert section in text
    assert "Equality Advisory and Support Service" in text
