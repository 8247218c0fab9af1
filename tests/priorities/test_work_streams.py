"""A lead creates and edits the work-streams of their priorities, with funding per year."""

from decimal import Decimal

import pytest
from django.urls import reverse

from priorities.models import FundingAllocation, Priority, WorkStream

pytestmark = pytest.mark.django_db


@pytest.fixture
def priority_a(db) -> Priority:
    return Priority.objects.get(version__slug="refresh-2019-20", letter="a")


@pytest.fixture
def knife_stream(db) -> WorkStream:
    return WorkStream.objects.get(name="Knife crime and serious violence work-stream")


def test_lead_creates_a_work_stream_with_funding(client_for, lead, priority_a):
    url = reverse("priorities:work_stream_create", args=[priority_a.pk])
    response = client_for(lead).post(
        url,
        {
            "name": "Safer nights JAG",
            "kind": "jag",
            "description": "",
            "strategic_lead": lead.pk,
            "allocation_2019": "12000",
        },
    )
    assert response.status_code == 302
    stream = WorkStream.objects.get(name="Safer nights JAG")
    assert (stream.priority, stream.strategic_lead) == (priority_a, lead)
    assert list(stream.allocations.values_list("financial_year", "amount")) == [
        (2019, Decimal("12000.00"))
    ]
    assert stream.history.first().history_user == lead


def test_editing_changes_and_removes_funding(client_for, lead, knife_stream):
    url = reverse("priorities:work_stream_edit", args=[knife_stream.pk])
    data = {
        "name": knife_stream.name,
        "kind": knife_stream.kind,
        "description": "",
        "strategic_lead": lead.pk,
        "allocation_2019": "45000",
        "edited_version": 1,
    }
    assert client_for(lead).post(url, data).status_code == 302
    assert knife_stream.allocations.get().amount == Decimal("45000")
    data["allocation_2019"] = ""
    data["edited_version"] = 2
    assert client_for(lead).post(url, data).status_code == 302
    assert not FundingAllocation.objects.filter(work_stream=knife_stream).exists()


def test_negative_funding_is_refused_and_kept_in_the_form(client_for, lead, knife_stream):
    url = reverse("priorities:work_stream_edit", args=[knife_stream.pk])
    response = client_for(lead).post(
        url, {"name": "Renamed", "kind": "jag", "strategic_lead": lead.pk, "allocation_2019": "-5"}
    )
    assert response.status_code == 200
    assert "allocation_2019" in response.context["form"].errors
    assert 'value="Renamed"' in response.content.decode()
    knife_stream.refresh_from_db()
    assert knife_stream.name == "Knife crime and serious violence work-stream"
    assert knife_stream.allocations.get().amount == Decimal("40000")


def test_other_lead_and_chair_cannot_touch_priority_a(
    client_for, other_lead, chair, knife_stream, priority_a
):
    edit = reverse("priorities:work_stream_edit", args=[knife_stream.pk])
    create = reverse("priorities:work_stream_create", args=[priority_a.pk])
    data = {"name": "Hijacked", "kind": "jag", "strategic_lead": other_lead.pk}
    assert client_for(other_lead).post(edit, data).status_code == 404
    assert client_for(other_lead).post(create, data).status_code == 404
    assert client_for(chair).post(edit, data).status_code == 403
    assert client_for(chair).post(create, data).status_code == 403
    assert not WorkStream.objects.filter(name="Hijacked").exists()
