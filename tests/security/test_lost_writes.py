"""Two people edit the same work-stream: the second save is refused, says who changed what,
and loses nothing; two people create the same work-stream: the second is told, not a 500."""

from decimal import Decimal
from unittest import mock

import pytest
from django.urls import reverse

from priorities import services
from priorities.models import Priority, WorkStream

pytestmark = pytest.mark.django_db


@pytest.fixture
def knife_stream(db) -> WorkStream:
    return WorkStream.objects.get(name="Knife crime and serious violence work-stream")


def _data(stream: WorkStream, **overrides) -> dict:
    data = {
        "name": stream.name,
        "kind": stream.kind,
        "description": stream.description,
        "strategic_lead": stream.strategic_lead_id,
        "allocation_2019": "40000",
        "edited_version": stream.version,
    }
    return {**data, **overrides}


@pytest.mark.parametrize(
    ("first_change", "named"),
    [({"name": "Knife crime work-stream"}, "name"), ({"allocation_2019": "1"}, "2019/20")],
)
def test_the_second_of_two_edits_is_refused_and_keeps_its_input(
    client_for, lead, admin, knife_stream, first_change, named
):
    url = reverse("priorities:work_stream_edit", args=[knife_stream.pk])
    first, second = client_for(lead), client_for(admin)
    assert first.get(url).context["form"]["edited_version"].value() == 1
    assert second.get(url).context["form"]["edited_version"].value() == 1

    assert first.post(url, _data(knife_stream, **first_change)).status_code == 302
    response = second.post(url, _data(knife_stream, description="The admin's description"))

    assert response.status_code == 200
    knife_stream.refresh_from_db()
    assert knife_stream.description != "The admin's description"  # the second did not land
    assert knife_stream.version == 2
    [error] = response.context["form"].non_field_errors()
    assert error.startswith("Dan Hughes changed this work-stream at ")
    assert f"(changed: {named}" in error or f"SLP funding {named})" in error
    assert "The admin&#x27;s description" in response.content.decode()
    assert response.context["form"]["edited_version"].value() == "2"
    # Saving again over the version now shown is a deliberate overwrite.
    again = second.post(
        url, _data(knife_stream, description="The admin's description", edited_version=2)
    )
    assert again.status_code == 302
    knife_stream.refresh_from_db()
    assert (knife_stream.description, knife_stream.version) == ("The admin's description", 3)


def test_a_stale_service_call_changes_nothing(lead, knife_stream):
    stale = WorkStream.objects.get(pk=knife_stream.pk)
    services.work_stream_save(
        work_stream=knife_stream, editor=lead, allocations={2019: Decimal(1)}, edited_version=1
    )
    stale.name = "Stale"
    with pytest.raises(services.ConcurrentEditError):
        services.work_stream_save(
            work_stream=stale, editor=lead, allocations={2019: Decimal(2)}, edited_version=1
        )
    knife_stream.refresh_from_db()
    assert knife_stream.name != "Stale"
    assert knife_stream.allocations.get().amount == Decimal(1)


def test_a_create_that_loses_the_race_for_a_name_is_told_not_a_server_error(client_for, lead):
    """Both requests pass the uniqueness check; the second reaches the database's constraint."""
    priority = Priority.objects.get(version__slug="refresh-2019-20", letter="a")
    url = reverse("priorities:work_stream_create", args=[priority.pk])
    data = {"name": "Safer nights JAG", "kind": "jag", "strategic_lead": lead.pk}
    assert client_for(lead).post(url, data).status_code == 302
    with mock.patch.object(WorkStream, "validate_constraints"):
        response = client_for(lead).post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [
        services.NAME_TAKEN.format(name="Safer nights JAG")
    ]
    assert WorkStream.objects.filter(name="Safer nights JAG").count() == 1
