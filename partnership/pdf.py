"""A board pack as an A4 PDF, printed on the server by headless Chromium (Playwright).

Chromium, not WeasyPrint: the pack's charts are drawn by plotly.js in the browser, and only a
browser runs it; Chromium also writes selectable text, page numbers in its footer and a tagged
(accessible) PDF. Debian's `/usr/bin/chromium` is used (`SLP_CHROMIUM`), never a downloaded one.
The page is loaded from memory: its own static files are served from the portal's static
folders and every other request is refused, so printing reaches nothing outside the server.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse

ORIGIN = "http://slp-pack.invalid"
CHART_TIMEOUT_MS = 20_000
FOOTER = (
    '<div style="font-size:8pt;width:100%;text-align:center;color:#444;">'
    'Safer Leicester Partnership board pack · page <span class="pageNumber"></span> '
    'of <span class="totalPages"></span></div>'
)


class PdfUnavailable(RuntimeError):
    """Chromium is not installed or could not print."""


def _static_file(path: str) -> Path | None:
    """Return the file behind a /static/ path: collected (production) or found (development)."""
    relative = path.removeprefix("/" + settings.STATIC_URL.strip("/") + "/").split("?")[0]
    if ".." in Path(relative).parts:
        return None
    if settings.STATIC_ROOT:
        collected = Path(settings.STATIC_ROOT) / relative
        if collected.is_file():
            return collected
    found = finders.find(relative)
    return Path(found) if found else None


def html_to_pdf(page: str) -> bytes:
    """Return `page` (a whole HTML document) printed to an A4 PDF once its charts are drawn."""
    from playwright.sync_api import Error, sync_playwright

    def serve(route) -> None:
        url = route.request.url
        if url == ORIGIN + "/pack":
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=page)
            return
        file = _static_file(url.removeprefix(ORIGIN)) if url.startswith(ORIGIN) else None
        if file is None:
            route.abort()
            return
        route.fulfill(
            status=200,
            content_type=mimetypes.guess_type(file.name)[0] or "application/octet-stream",
            body=file.read_bytes(),
        )

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=settings.SLP_CHROMIUM)
            try:
                tab = browser.new_page()
                tab.route("**/*", serve)
                tab.goto(ORIGIN + "/pack", wait_until="load")
                tab.wait_for_function(
                    "Array.from(document.querySelectorAll('.slp-chart'))"
                    ".every(chart => chart.querySelector('svg'))",
                    timeout=CHART_TIMEOUT_MS,
                )
                return tab.pdf(
                    format="A4",
                    margin={"top": "15mm", "bottom": "18mm", "left": "15mm", "right": "15mm"},
                    display_header_footer=True,
                    header_template="<span></span>",
                    footer_template=FOOTER,
                    print_background=True,
                    tagged=True,
                    outline=True,
                )
            finally:
                browser.close()
    except Error as failure:
        raise PdfUnavailable(str(failure)) from failure


def pdf_response(page: str, request: HttpRequest, filename: str) -> HttpResponse:
    """Return the page as a PDF download, or a 503 page saying the printer is unavailable."""
    try:
        pdf = html_to_pdf(page)
    except PdfUnavailable:
        return HttpResponse(
            "The PDF could not be made: the server's Chromium is missing or failed. "
            "Use the pack's Print button to save it as a PDF instead.",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
