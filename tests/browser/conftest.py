"""Browser harness: Playwright's sync API driving Debian's Chromium against a live server.

- `live_server` (pytest-django) serves the portal; each browser test starts from the seeded
  snapshot (tests/conftest.py gives transactional tests a serialized rollback) and runs after
  every non-transactional test, so its flush never reaches them.
- `browser` is one headless Chromium for the whole session; each test gets fresh contexts.
- `page` is a signed-out page; `signed_in_page(username)` signs in through the real sign-in
  form, completing the two-factor step with a code computed from the user's device.
- `assert_accessible(page)` runs axe-core (WCAG 2.0/2.1/2.2 A and AA rules): zero violations.
- Every page a test opens fails the test on a Content Security Policy violation or a script
  error, so the strict policy is checked in a real browser, not just as a header.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest

from tests.conftest import attach_seeded_snapshot, require_chromium, totp_code, verified_device

# Playwright's sync API runs an event loop in this thread; the tests' ORM calls are still
# synchronous and safe, but Django would refuse them without this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
PASSWORD = "demo"


@pytest.fixture(scope="session")
def browser():
    """Return one headless Chromium for the session (never a downloaded browser)."""
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    # Playwright runs an asyncio loop in this thread, and from now on Django hands this
    # thread a different database connection object: give it the seeded snapshot too.
    attach_seeded_snapshot()
    chromium = playwright.chromium.launch(
        executable_path=executable, args=CHROMIUM_ARGS, headless=True
    )
    yield chromium
    chromium.close()
    playwright.stop()


class PageProblems:
    """Collects what a page must never do: break the CSP or throw a script error."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def watch(self, page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))

    def _console(self, message) -> None:
        text = message.text
        if "Content Security Policy" in text or (
            message.type == "error" and "Failed to load resource" not in text
        ):
            self.problems.append(f"console {message.type}: {text}")


@pytest.fixture
def new_page(browser, live_server) -> Iterator[Callable]:
    """Return a function that opens a page in a fresh browser context (its own cookies)."""
    contexts = []
    problems = PageProblems()

    def open_page():
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        problems.watch(page)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert problems.problems == [], "\n".join(problems.problems)


@pytest.fixture
def page(new_page):
    """Return a signed-out page on the live server."""
    return new_page()


def sign_in(page, username: str) -> None:
    """Sign in on `page` through the sign-in form and the two-factor step.

    Admins and leads are given an authenticator device first if they have none, so this
    always meets the code step (setting one up has its own journey).
    """
    from django.contrib.auth.models import User

    from accounts.two_factor import requires_two_factor

    user = User.objects.get(username=username)
    if requires_two_factor(user):
        verified_device(user)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if "/accounts/two-factor/" in page.url:
        page.locator("#id_code").fill(totp_code(verified_device(user)))
        page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state()


@pytest.fixture
def signed_in_page(new_page) -> Callable:
    """Return a function giving a page signed in as `username` through the real forms."""

    def open_signed_in(username: str):
        page = new_page()
        sign_in(page, username)
        assert page.url.endswith("/"), f"{username} did not land on the home page: {page.url}"
        return page

    return open_signed_in


def assert_accessible(page) -> None:
    """Fail with axe-core's report when the page has any WCAG 2.2 A/AA violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def upload_figures(page, name: str, content: bytes) -> None:
    """Upload a CSV of crime figures at /data/upload/ as an admin would; wait for its preview."""
    import re

    page.goto("/data/upload/")
    page.get_by_label("File of crime figures").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": content}
    )
    page.get_by_role("button", name="Check and preview").click()
    page.wait_for_url(re.compile(r"/data/\d+/$"))


def wait_for_charts(page, charts: list[str]) -> None:
    """Wait until plotly has drawn each chart (by id) as SVG; charts.js marks each when done."""
    for chart in charts:
        page.locator(f"#{chart}.slp-chart-drawn svg.main-svg").first.wait_for()
