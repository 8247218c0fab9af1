"""A work-stream's own strategic lead leads its actions, as the priority's strategic lead does.

The rule (`WorkStream.objects.led_by`): a priority's strategic lead leads every work-stream under
it; a work-stream's strategic lead leads that work-stream. Whoever leads a work-stream edits its
actions, logs progress on them, sees them in My actions and is reminded of them.
"""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from actions.models import Action
from priorities.models import WorkStream
from tests.form_data import progress, smart_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def stream_lead(other_lead, knife_stream, owners_action):
    """lead2 (priority d's lead) made strategic lead of priority a's knife crime work-stream."""
    assert owners_action.work_stream == knife_stream
    assert knife_stream.priority.strategic_lead.username == "lead"
    knife_stream.strategic_lead = other_lead
    knife_stream.save()
    return other_lead


def test_a_work_stream_lead_edits_and_logs_progress_on_its_actions(
    client_for, stream_lead, owners_action
):
    client = client_for(stream_lead)

    edited = client.post(
        reverse("actions:edit", args=[owners_action.pk]), smart_form_data(owners_action, target="6")
    )
    logged = client.post(reverse("actions:update", args=[owners_action.pk]), progress())

    assert (edited.status_code, logged.status_code) == (302, 302)
    owners_action.refresh_from_db()
    assert (str(owners_action.target), owners_action.version) == ("6.00", 2)
    update = owners_action.updates.get(reported_on=datetime.date(2020, 3, 16))
    assert update.author == stream_lead


def test_a_work_stream_lead_adds_actions_only_to_the_work_streams_they_lead(
    client_for, stream_lead, knife_stream
):
    client = client_for(stream_lead)
    form = client.get(reverse("actions:create")).context["form"]
    choices = set(form.fields["work_stream"].queryset.values_list("name", flat=True))
    assert "Knife crime and serious violence work-stream" in choices
    assert "Night-time economy operational group" not in choices  # priority a's other one

    response = client.post(
        reverse("actions:create"),
        smart_form_data(work_stream=knife_stream.pk, owner=stream_lead.pk),
    )

    assert response.status_code == 302
    assert Action.objects.get(title="Safe space in the city centre").work_stream == knife_stream


def test_a_work_stream_lead_does_not_lead_the_rest_of_the_priority(
    client_for, stream_lead, knife_stream
):
    other = (
        Action.objects.filter(work_stream__priority=knife_stream.priority)
        .exclude(work_stream=knife_stream)
        .first()
    )
    before = (other.title, other.version)
    client = client_for(stream_lead)

    # They read the priority (its actions show on the tracker) but change only their work-stream.
    assert client.get(reverse("actions:detail", args=[other.pk])).status_code == 200
    edit = client.post(
        reverse("actions:edit", args=[other.pk]), smart_form_data(other, title="Changed")
    )
    work_stream_edit = client.get(reverse("priorities:work_stream_edit", args=[knife_stream.pk]))

    assert (edit.status_code, work_stream_edit.status_code) == (403, 404)
    other.refresh_from_db()
    assert (other.title, other.version) == before


def test_both_leads_see_the_actions_in_my_actions(client_for, stream_lead, lead):
    for person in (stream_lead, lead):
        page = client_for(person).get(reverse("actions:mine"))
        titles = {action.title for action in page.context["actions"]}
        assert "Weapons amnesty bins" in titles, person.username


def test_both_leads_are_reminded(stream_lead, lead):
    call_command("send_update_reminders", "--date", "2020-02-10", stdout=io.StringIO())

    by_person = {message.to[0]: message.body for message in mail.outbox}
    assert "Weapons amnesty bins" in by_person["lead2@example.org"]
    assert "Weapons amnesty bins" in by_person["lead@example.org"]
    assert "Weapons amnesty bins" in by_person["owner@example.org"]


def test_the_rule_is_one_queryset():
    from django.contrib.auth.models import User

    lead = User.objects.get(username="lead")
    led = set(WorkStream.objects.led_by(lead).values_list("name", flat=True))
    assert led == {
        "Night-time economy operational group",
        "Knife crime and serious violence work-stream",
    }
