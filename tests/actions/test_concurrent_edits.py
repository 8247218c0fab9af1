"""Two people edit the same action: the second save is refused, says why, and loses nothing."""

import pytest
from django.urls import reverse

from actions import services
from actions.models import Action
from tests.form_data import smart_form_data

pytestmark = pytest.mark.django_db


def test_the_second_of_two_edits_is_refused_and_keeps_its_input(
    client_for, lead, admin, owners_action
):
    url = reverse("actions:edit", args=[owners_action.pk])
    first, second = client_for(lead), client_for(admin)
    # Both open the form at version 1.
    assert first.get(url).context["form"]["edited_version"].value() == 1
    assert second.get(url).context["form"]["edited_version"].value() == 1

    assert first.post(url, smart_form_data(owners_action, target="6")).status_code == 302
    response = second.post(
        url, smart_form_data(owners_action, unit="amnesty bins", resources="Admin's resources")
    )

    assert response.status_code == 200
    owners_action.refresh_from_db()
    assert str(owners_action.target) == "6.00"  # the first save stands
    assert owners_action.unit == "bins"  # the second did not land
    assert owners_action.version == 2
    errors = response.context["form"].non_field_errors()
    assert len(errors) == 1
    assert errors[0].startswith("Dan Hughes changed this action at ")
    assert "(changed: target)" in errors[0]
    page = response.content.decode()
    assert 'value="amnesty bins"' in page and "Admin&#x27;s resources" in page
    # The form now carries the current version: saving again is a deliberate overwrite.
    assert response.context["form"]["edited_version"].value() == "2"
    again = second.post(url, smart_form_data(owners_action, unit="amnesty bins", edited_version=2))
    assert again.status_code == 302
    owners_action.refresh_from_db()
    assert (owners_action.unit, owners_action.version) == ("amnesty bins", 3)


def test_the_service_refuses_a_stale_version_with_a_conditional_update(lead, owners_action):
    stale = Action.objects.get(pk=owners_action.pk)
    services.action_update(
        action=owners_action, editor=lead, edited_version=1, values={"unit": "A"}, themes=[]
    )
    with pytest.raises(services.ConcurrentEditError) as refused:
        services.action_update(
            action=stale, editor=lead, edited_version=1, values={"unit": "B"}, themes=[]
        )
    assert refused.value.current.version == 2
    owners_action.refresh_from_db()
    assert (owners_action.unit, owners_action.version) == ("A", 2)
    assert owners_action.history.count() == 2  # the refused save left no audit record
