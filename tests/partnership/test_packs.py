"""Issued packs are frozen: later imports, corrections and progress never change them."""

import datetime
import io
import shutil
from decimal import Decimal

import pytest
from django.urls import reverse

from actions.models import Action, ProgressUpdate
from crime_stats.importers import ImportOptions, import_figures
from partnership.models import BoardMeeting, IssuedPack
from partnership.services import pack_digest
from tests.crime_stats.import_files import csv_bytes

pytestmark = pytest.mark.django_db

REVISION = "CSP,Period,Rate\nLeicester,April–December 2018,120.5\n"


@pytest.fixture
def meeting(chair) -> BoardMeeting:
    return BoardMeeting.objects.create(
        held_on=datetime.date(2020, 3, 31), title="March board", created_by=chair
    )


def issue(client, meeting) -> IssuedPack:
    response = client.post(reverse("issue-pack", args=[meeting.pk]))
    assert response.status_code == 302
    return IssuedPack.objects.get(meeting=meeting)


def test_a_frozen_pack_is_identical_after_later_imports_and_progress(
    client_for, chair, admin, owner, meeting
):
    client = client_for(chair)
    pack = issue(client, meeting)
    frozen = client.get(reverse("partnership:issued_pack", args=[meeting.pk])).content.decode()
    leicester = next(r for r in pack.content["figures"] if r["csp"].endswith("Leicester"))
    assert leicester["rate"] == "92.500"
    assert "92.5" in pack.html

    import_figures(
        content=csv_bytes(REVISION),
        file_name="revision.csv",
        options=ImportOptions(),
        user=admin,
    )
    ProgressUpdate.objects.create(
        action=Action.objects.get(title="Weapons amnesty bins"),
        reported_on=datetime.date(2020, 3, 30),
        status="red",
        narrative="Later news.",
        spend=Decimal("10"),
        author=owner,
    )

    pack.refresh_from_db()
    again = client.get(reverse("partnership:issued_pack", args=[meeting.pk]))
    body = again.content.decode()
    # The pack's body is byte for byte what was issued; only the note of what changed since
    # (outside the body) moves.
    assert pack.html in body and pack.html in frozen
    assert pack.sha256 == pack_digest(pack.html, pack.content)
    leicester = next(r for r in pack.content["figures"] if r["csp"].endswith("Leicester"))
    assert leicester["rate"] == "92.500"
    assert "120.5" not in pack.html
    assert again.context["since"].count == 3  # the file, Leicester's position, the red status
    live = client.get(reverse("board-pack")).content.decode()
    assert "120.5" in live
    assert "3 things have changed since the pack for March board was issued" in live


def test_a_pack_is_issued_once(client_for, chair, meeting):
    client = client_for(chair)
    first = issue(client, meeting)
    response = client.post(reverse("issue-pack", args=[meeting.pk]), follow=True)
    assert "an issued pack never changes" in response.content.decode()
    assert IssuedPack.objects.get(meeting=meeting) == first


def test_the_pack_stores_its_data_sources_with_their_sha256(client_for, chair, meeting):
    pack = issue(client_for(chair), meeting)
    (source,) = pack.content["sources"]
    assert len(source["sha256"]) == 64
    assert pack.content["charts"]["bar"]["data"]
    assert pack.content["narrative"]


def test_the_issued_pack_prints_to_an_a4_pdf_with_page_numbers(client_for, chair, meeting):
    if not shutil.which("/usr/bin/chromium"):
        pytest.skip("needs Debian's Chromium at /usr/bin/chromium")
    from pypdf import PdfReader

    client = client_for(chair)
    issue(client, meeting)
    response = client.get(reverse("partnership:issued_pack_pdf", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="slp-board-pack-2020-03-31.pdf"' in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) >= 3
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    # A4 is 595.3 × 841.9 points; Chromium rounds it to 8.27 × 11.7 inches.
    assert abs(width - 595.3) < 1.5 and abs(height - 841.9) < 1.5
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Board pack" in text and "Leicester" in text
    assert f"page 1 of {len(reader.pages)}" in text
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged for assistive technology
