"""The partnership's year in the browser: the chair's meeting and pack, a lead's quarterly
indicator value, an admin's evidence for a duty; axe on every new page."""

import io
import re
from decimal import Decimal
from pathlib import Path

import pytest

from partnership.models import BoardMeeting, DutyOccurrence, IndicatorValue, IssuedPack
from priorities.models import Priority
from tests.browser.conftest import assert_accessible, wait_for_charts

pytestmark = pytest.mark.browser


def test_the_chair_creates_a_meeting_reads_what_changed_issues_the_pack_and_downloads_it(
    signed_in_page,
):
    chair = signed_in_page("chair")
    chair.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Board", exact=True
    ).click()
    assert_accessible(chair)
    form = chair.get_by_role("region", name="Add a meeting")
    form.get_by_label("Date").fill("2026-12-31")
    form.get_by_label("Title").fill("SLP board, December 2026")
    form.get_by_label("Papers").fill("Quarter 3 report\nStrategic assessment")
    form.get_by_role("button", name="Add the meeting").click()
    chair.wait_for_url(re.compile(r"/board/\d+/$"))
    meeting = BoardMeeting.objects.get(title="SLP board, December 2026")
    assert_accessible(chair)

    # What changed since records began (the first meeting): the demo's actions and figures.
    chair.get_by_role("link", name="Every change since the previous meeting, in full").click()
    main = chair.get_by_role("main")
    assert "Since records began (this is the first meeting)" in main.inner_text()
    assert chair.get_by_role("heading", name=re.compile(r"^Crime figures loaded")).is_visible()
    assert chair.get_by_role("heading", name=re.compile(r"^RAG status changes")).is_visible()
    assert_accessible(chair)

    chair.goto(f"/board/{meeting.pk}/")
    chair.get_by_role("button", name="Issue the pack for this meeting").click()
    chair.wait_for_url(f"**/board/{meeting.pk}/pack/")
    wait_for_charts(chair, ["ranked-chart", "trend-chart"])
    assert "exactly as the board saw it" in chair.get_by_role("main").inner_text()
    assert_accessible(chair)
    pack = IssuedPack.objects.get(meeting=meeting)
    assert pack.issued_by.username == "chair"

    with chair.expect_download() as download:
        chair.get_by_role("link", name="Download the PDF").click()
    assert download.value.suggested_filename == "slp-board-pack-2026-12-31.pdf"
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(Path(download.value.path()).read_bytes()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "What changed since records began" in text
    assert f"page {len(reader.pages)} of {len(reader.pages)}" in text


def test_a_lead_records_a_quarterly_indicator_value(signed_in_page):
    priority = Priority.objects.get(version__slug="refresh-2019-20", letter="d")
    lead = signed_in_page("lead2")
    lead.goto(f"/priorities/{priority.pk}/outcomes/")
    indicator = priority.indicators.get(source="local")
    wait_for_charts(lead, [f"indicator-chart-{indicator.pk}"])
    assert_accessible(lead)
    lead.get_by_role("link", name=re.compile("Enter a quarter's value")).click()
    assert_accessible(lead)
    lead.get_by_label("Quarter ending").fill("2020-03-31")
    lead.locator("#id_value").fill("29.4")
    lead.get_by_label("Note").fill("MARAC data to 31 March")
    lead.get_by_role("button", name="Save the value").click()
    lead.wait_for_url(f"**/priorities/{priority.pk}/outcomes/")
    assert "Latest: 29.4 % (Jan–Mar 2020)" in lead.get_by_role("main").inner_text()
    value = IndicatorValue.objects.get(quarter_ends_on="2020-03-31")
    assert (value.value, value.entered_by.username) == (Decimal("29.400"), "lead2")


def test_an_admin_uploads_evidence_for_a_duty(signed_in_page):
    occurrence = DutyOccurrence.objects.get(duty__slug="strategic-assessment")
    admin = signed_in_page("admin")
    admin.goto("/duties/")
    assert_accessible(admin)
    admin.get_by_role("link", name="Strategic assessment", exact=True).click()
    assert_accessible(admin)
    admin.get_by_label("Status").select_option("done")
    admin.get_by_label("Done on").fill("2026-11-30")
    admin.get_by_label("Evidence document").set_input_files(
        {"name": "assessment.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.7\n%%EOF\n"}
    )
    admin.get_by_role("button", name="Save").click()
    assert admin.get_by_role("link", name="assessment.pdf").is_visible()
    assert_accessible(admin)
    occurrence.refresh_from_db()
    assert (occurrence.status, occurrence.evidence_name) == ("done", "assessment.pdf")

    # A death review opens for the admin, and its page passes axe too.
    review = DutyOccurrence.objects.get(duty__slug="dhr-dardr")
    assert admin.goto(f"/duties/{review.pk}/").status == 200
    assert_accessible(admin)
