"""/priorities/: each version's priorities with work-streams, actions and RAG summary, per role."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import Action

pytestmark = pytest.mark.django_db


def sections(client):
    return client.get(reverse("priority-list")).context["sections"]


def test_chair_sees_every_version_newest_first_with_every_action(client_for, chair):
    result = sections(client_for(chair))
    assert [s["version"].slug for s in result] == ["refresh-2019-20", "2018-21"]
    shown = {
        action.pk
        for item in result[0]["priorities"]
        for entry in item["work_streams"]
        for action in entry["actions"]
    }
    assert shown == set(Action.objects.values_list("pk", flat=True))


def test_priority_summary_counts_match_the_actions_listed(client_for, chair):
    refresh = sections(client_for(chair))[0]
    a = next(item for item in refresh["priorities"] if item["priority"].letter == "a")
    listed = [action for entry in a["work_streams"] for action in entry["actions"]]
    assert a["summary"].total == len(listed) == 4
    assert a["summary"].overdue == sum(1 for action in listed if action.overdue)


def test_a_lead_sees_every_priority_but_only_their_actions(client_for, other_lead):
    response = client_for(other_lead).get(reverse("priority-list"))
    refresh = response.context["sections"][0]
    assert [item["priority"].letter for item in refresh["priorities"]] == list("abcdef")
    with_streams = [
        item["priority"].letter for item in refresh["priorities"] if item["work_streams"]
    ]
    assert with_streams == ["d"]
    page = response.content.decode()
    assert "Weapons amnesty bins" not in page
    assert "Repeat victim MARAC reviews" in page
    assert "You see the work-streams and actions of the priorities you lead" in page


def test_query_count_does_not_grow_with_actions(client_for, chair, copy_actions):
    client = client_for(chair)
    client.get(reverse("priority-list"))
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("priority-list"))
    copy_actions(5, status="amber")
    with CaptureQueriesContext(connection) as after:
        client.get(reverse("priority-list"))
    assert len(after.captured_queries) == len(before.captured_queries)
