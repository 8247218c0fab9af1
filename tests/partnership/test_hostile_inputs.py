"""Hostile values in the partnership's forms: refused with a clear error, or stored as typed
and shown escaped; a link is never a script."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from partnership.models import BoardMeeting, DutyOccurrence, IndicatorValue, OutcomeIndicator

pytestmark = pytest.mark.django_db

SCRIPT = '"><script>alert(1)</script>'


def test_a_meeting_title_with_markup_is_stored_as_typed_and_shown_escaped(client_for, chair):
    client = client_for(chair)
    response = client.post(
        reverse("partnership:meetings"), {"held_on": "2020-03-31", "title": SCRIPT}
    )
    meeting = BoardMeeting.objects.get()
    assert response.status_code == 302 and meeting.title == SCRIPT
    page = client.get(reverse("partnership:meeting", args=[meeting.pk])).content.decode()
    assert SCRIPT not in page and escape(SCRIPT) in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"title": "A" * 201}, "title", "at most 200 characters"),
        ({"papers": "A" * 5001}, "papers", "at most 5000 characters"),
        ({"title": "Board\x00"}, "title", "Null characters are not allowed."),
        ({"held_on": "2020-02-30"}, "held_on", "Enter a valid date."),
    ],
)
def test_bad_meeting_values_are_refused_and_nothing_is_written(
    client_for, chair, data, field, message
):
    response = client_for(chair).post(
        reverse("partnership:meetings"), {"held_on": "2020-03-31", "title": "Board", **data}
    )
    assert message in " ".join(response.context["form"].errors[field])
    assert not BoardMeeting.objects.exists()


@pytest.mark.parametrize(
    "link", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "x" * 501]
)
def test_an_evidence_link_must_be_a_web_address(client_for, admin, link):
    item = DutyOccurrence.objects.get(duty__slug="strategic-assessment")
    response = client_for(admin).post(
        reverse("partnership:duty_occurrence", args=[item.pk]),
        {"status": "in_progress", "evidence_link": link},
    )
    assert "evidence_link" in response.context["form"].errors
    item.refresh_from_db()
    assert item.evidence_link == ""


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("NaN", "Enter a number."),
        ("Infinity", "Enter a number."),
        ("1e30", "Ensure that there are no more than"),
        ("<script>1</script>", "Enter a number."),
    ],
)
def test_an_indicator_value_must_be_a_number(client_for, other_lead, value, message):
    indicator = OutcomeIndicator.objects.get(source="local")
    before = IndicatorValue.objects.count()
    response = client_for(other_lead).post(
        reverse("partnership:indicator_record", args=[indicator.pk]),
        {"quarter_ends_on": "2020-03-31", "value": value, "note": SCRIPT},
    )
    assert message in " ".join(response.context["form"].errors["value"])
    assert IndicatorValue.objects.count() == before
