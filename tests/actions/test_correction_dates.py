"""A correction keeps the date of the update it corrects, so spend and status stay in place."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from actions import services
from actions.models import Action
from actions.spend import funding_lines

pytestmark = pytest.mark.django_db


def correction(update, **overrides) -> dict:
    data = {
        "reported_on": update.reported_on.isoformat(),
        "status": update.status,
        "indicator_value": "" if update.indicator_value is None else str(update.indicator_value),
        "spend": str(update.spend),
        "narrative": "Typo fixed: the bins went to the bus station, not the rail station.",
        "next_steps": "",
        "corrects": update.pk,
    }
    data.update(overrides)
    return data


def spend_by_year(action: Action) -> dict[str, Decimal]:
    return {
        line.label: line.spend
        for line in funding_lines([action.work_stream])[action.work_stream_id]
    }


def current_status(action: Action) -> str:
    return Action.objects.with_progress().get(pk=action.pk).current_status


def test_a_correction_dated_in_another_year_is_refused_and_keeps_what_was_typed(
    client_for, owner, owners_action
):
    september = owners_action.updates.get(reported_on=datetime.date(2019, 9, 2))
    spend_before = spend_by_year(owners_action)
    assert spend_before["2019/20"] >= Decimal("2500")
    count = owners_action.updates.count()

    response = client_for(owner).post(
        reverse("actions:update", args=[owners_action.pk]),
        correction(september, reported_on="2020-05-01"),
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["reported_on"] == [
        "A correction keeps the date of the update it corrects: set the date to 2 Sep 2019. "
        "To report something that happened later, log a new update instead."
    ]
    page = response.content.decode()
    assert "the bins went to the bus station, not the rail station" in page
    assert 'value="2020-05-01"' in page
    assert owners_action.updates.count() == count
    assert not september.corrections.exists()
    assert spend_by_year(owners_action) == spend_before
    assert current_status(owners_action) == "red"


def test_a_later_dated_correction_of_an_old_update_cannot_become_the_current_status(
    owner, owners_action
):
    july = owners_action.updates.get(reported_on=datetime.date(2019, 7, 1))
    assert current_status(owners_action) == "red"  # the September update
    with pytest.raises(Exception) as refused:
        services.progress_update_create(
            action=owners_action,
            author=owner,
            reported_on=datetime.date(2020, 5, 1),
            status="not_started",
            narrative="Typo fixed.",
            corrects=july,
        )
    assert refused.value.message_dict["reported_on"] == [
        services.CORRECTION_DATE.format(day="1 Jul 2019")
    ]
    assert current_status(owners_action) == "red"


def test_a_correction_on_the_same_date_replaces_the_update_in_its_own_year(
    client_for, owner, owners_action
):
    july = owners_action.updates.get(reported_on=datetime.date(2019, 7, 1))
    september = owners_action.updates.get(reported_on=datetime.date(2019, 9, 2))
    url = reverse("actions:update", args=[owners_action.pk])
    spend_before = spend_by_year(owners_action)

    # Correcting the older July update leaves September's red as the current status.
    assert client_for(owner).post(url, correction(july, status="amber")).status_code == 302
    assert current_status(owners_action) == "red"

    # Correcting September's spend moves the difference within 2019/20 and nowhere else.
    response = client_for(owner).post(url, correction(september, spend="2000", status="amber"))
    assert response.status_code == 302
    assert september.corrections.get().reported_on == datetime.date(2019, 9, 2)
    assert current_status(owners_action) == "amber"
    after = spend_by_year(owners_action)
    assert after["2019/20"] == spend_before["2019/20"] - Decimal("500")
    assert {k: v for k, v in after.items() if k != "2019/20"} == {
        k: v for k, v in spend_before.items() if k != "2019/20"
    }
