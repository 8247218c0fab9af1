"""The SMART action form: a lead creates and edits under their priorities; the rest is refused."""

import pytest
from django.urls import reverse

from actions.models import (
    DUE_BEFORE_START,
    NEEDS_INDICATOR,
    NEEDS_OWNER,
    NEEDS_TARGET,
    OUTSIDE_VERSION,
    Action,
)
from priorities.models import CrossCuttingTheme
from tests.form_data import smart_form_data

pytestmark = pytest.mark.django_db
CREATE = reverse("actions:create")


def test_lead_creates_a_smart_action_with_themes(client_for, lead, owner, knife_stream):
    themes = list(CrossCuttingTheme.objects.all()[:2])
    data = smart_form_data(
        work_stream=knife_stream.pk, owner=owner.pk, themes=[t.pk for t in themes]
    )
    response = client_for(lead).post(CREATE, data)
    action = Action.objects.get(title="Safe space in the city centre")
    assert response.status_code == 302
    assert response["Location"] == reverse("actions:detail", args=[action.pk])
    assert action.work_stream == knife_stream
    assert action.owner == owner
    assert str(action.target) == "200.00"
    assert set(action.themes.all()) == set(themes)
    assert action.version == 1
    assert action.history.first().history_user == lead


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("indicator", "", NEEDS_INDICATOR),
        ("target", "", NEEDS_TARGET),
        ("owner", "", NEEDS_OWNER),
        ("due_date", "2019-05-01", DUE_BEFORE_START),
    ],
)
def test_an_action_that_is_not_smart_is_refused_field_by_field(
    client_for, lead, owner, knife_stream, field, value, message
):
    data = smart_form_data(work_stream=knife_stream.pk, **{"owner": owner.pk, field: value})
    response = client_for(lead).post(CREATE, data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert not Action.objects.filter(title="Safe space in the city centre").exists()
    # Everything the lead typed is still in the form.
    page = response.content.decode()
    assert 'value="Safe space in the city centre"' in page
    assert "Open a safe space on weekend nights." in page
    assert "Two paramedics and volunteers</textarea>" in page


def test_dates_outside_the_plan_version_are_refused_with_the_version_dates(
    client_for, lead, owner, knife_stream
):
    data = smart_form_data(
        work_stream=knife_stream.pk, owner=owner.pk, start_date="2019-03-01", due_date="2020-04-30"
    )
    response = client_for(lead).post(CREATE, data)
    errors = response.context["form"].errors
    version = "Refresh April 2019 – March 2020"
    assert errors["start_date"] == [
        OUTSIDE_VERSION.format(
            field="Start date", version=version, starts="1 Apr 2019", ends="31 Mar 2020"
        )
    ]
    assert errors["due_date"] == [
        OUTSIDE_VERSION.format(
            field="Due date", version=version, starts="1 Apr 2019", ends="31 Mar 2020"
        )
    ]
    assert "must fall within Refresh April 2019 – March 2020: 1 Apr 2019 to 31 Mar 2020" in (
        response.content.decode()
    )
    assert not Action.objects.filter(title="Safe space in the city centre").exists()


def test_a_lead_cannot_create_under_another_priority(client_for, other_lead, owner, knife_stream):
    data = smart_form_data(work_stream=knife_stream.pk, owner=owner.pk)
    response = client_for(other_lead).post(CREATE, data)
    assert response.status_code == 200
    assert "work_stream" in response.context["form"].errors
    assert not Action.objects.filter(title="Safe space in the city centre").exists()
    # Priority a's work-streams are not even offered.
    assert knife_stream.name not in response.content.decode()


@pytest.mark.parametrize("username", ["chair", "owner"])
def test_chair_and_owner_may_not_create_actions(client_for, username, knife_stream, owner):
    from django.contrib.auth.models import User

    client = client_for(User.objects.get(username=username))
    assert client.get(CREATE).status_code == 403
    response = client.post(CREATE, smart_form_data(work_stream=knife_stream.pk, owner=owner.pk))
    assert response.status_code == 403
    assert not Action.objects.filter(title="Safe space in the city centre").exists()


def test_lead_edits_an_action_and_the_audit_trail_says_who_and_what(
    client_for, lead, owners_action
):
    url = reverse("actions:edit", args=[owners_action.pk])
    response = client_for(lead).post(url, smart_form_data(owners_action, target="6"))
    assert response.status_code == 302
    owners_action.refresh_from_db()
    assert str(owners_action.target) == "6.00"
    assert owners_action.version == 2
    page = client_for(lead).get(reverse("actions:detail", args=[owners_action.pk]))
    audit = page.context["audit"]
    assert audit[0].who == "Dan Hughes"
    assert audit[0].changes == [("Target", "4.00", "6.00")]
    assert "Target: 4.00 → 6.00" in page.content.decode()


def test_owner_may_not_edit_their_action_and_nothing_changes(client_for, owner, owners_action):
    url = reverse("actions:edit", args=[owners_action.pk])
    response = client_for(owner).post(url, smart_form_data(owners_action, target="1"))
    assert response.status_code == 403
    owners_action.refresh_from_db()
    assert str(owners_action.target) == "4.00"
    assert owners_action.version == 1


def test_other_lead_gets_404_for_an_action_outside_their_priorities(
    client_for, other_lead, owners_action
):
    url = reverse("actions:edit", args=[owners_action.pk])
    response = client_for(other_lead).post(url, smart_form_data(owners_action, target="1"))
    assert response.status_code == 404
    assert owners_action.title not in response.content.decode()
    owners_action.refresh_from_db()
    assert str(owners_action.target) == "4.00"
