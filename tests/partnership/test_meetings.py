"""Board meetings: who may add one, what a meeting page shows."""

import datetime

import pytest
from django.urls import reverse

from partnership.models import BoardMeeting

pytestmark = pytest.mark.django_db


def test_the_chair_adds_a_meeting_and_reads_what_changed_since_the_previous_one(client_for, chair):
    BoardMeeting.objects.create(
        held_on=datetime.date(2019, 12, 31), title="December board", created_by=chair
    )
    client = client_for(chair)
    response = client.post(
        reverse("partnership:meetings"),
        {"held_on": "2020-03-31", "title": "March board", "papers": "Q4 report\nSV strategy"},
    )
    meeting = BoardMeeting.objects.get(title="March board")
    assert response.status_code == 302
    assert response["Location"] == reverse("partnership:meeting", args=[meeting.pk])
    assert meeting.created_by == chair
    assert meeting.paper_lines() == ["Q4 report", "SV strategy"]
    page = client.get(reverse("partnership:meeting_changes", args=[meeting.pk]))
    assert page.context["previous"].title == "December board"
    report = page.context["report"]
    assert (report.first_day, report.last_day) == (
        datetime.date(2020, 1, 1),
        datetime.date(2020, 3, 31),
    )
    assert "From the day after December board (31 Dec 2019)" in page.content.decode()


@pytest.mark.parametrize("username", ["lead", "owner"])
def test_leads_and_owners_cannot_add_a_meeting(client_for, django_user_model, username):
    client = client_for(django_user_model.objects.get(username=username))
    response = client.post(
        reverse("partnership:meetings"), {"held_on": "2020-03-31", "title": "Sneaky"}
    )
    assert response.status_code == 403
    assert not BoardMeeting.objects.filter(title="Sneaky").exists()


def test_a_second_meeting_on_the_same_day_is_refused_keeping_what_was_typed(client_for, chair):
    BoardMeeting.objects.create(
        held_on=datetime.date(2020, 3, 31), title="March board", created_by=chair
    )
    response = client_for(chair).post(
        reverse("partnership:meetings"), {"held_on": "2020-03-31", "title": "Another"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["held_on"]
    assert 'value="Another"' in response.content.decode()
    assert BoardMeeting.objects.count() == 1


def test_comparing_dates_the_wrong_way_round_says_so(client_for, chair):
    response = client_for(chair).get(
        reverse("partnership:compare"), {"first": "2020-03-31", "last": "2020-01-01"}
    )
    assert "The first date must be on or before the last date." in response.content.decode()
    assert response.context["report"] is None
