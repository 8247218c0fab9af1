"""Logging progress: append-only, corrections name what they correct, closed periods refuse."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from actions import services
from actions.models import ClosedPeriod, ProgressUpdate
from actions.spend import funding_lines
from tests.form_data import progress

pytestmark = pytest.mark.django_db


def test_owner_logs_progress_on_their_action(client_for, owner, owners_action):
    url = reverse("actions:update", args=[owners_action.pk])
    response = client_for(owner).post(url, progress())
    assert response.status_code == 302
    assert response["Location"] == reverse("actions:detail", args=[owners_action.pk])
    update = owners_action.updates.get(reported_on=datetime.date(2020, 3, 16))
    assert (update.status, update.spend, update.author) == ("amber", Decimal("1200.50"), owner)
    assert update.indicator_value == Decimal("3")
    assert update.next_steps == "Final site in April."
    assert not owners_action.is_overdue(datetime.date(2020, 3, 31))


@pytest.mark.parametrize(("username", "status"), [("chair", 403), ("lead2", 404)])
def test_others_cannot_log_progress_and_nothing_is_written(
    client_for, username, status, owners_action
):
    from django.contrib.auth.models import User

    before = ProgressUpdate.objects.count()
    url = reverse("actions:update", args=[owners_action.pk])
    response = client_for(User.objects.get(username=username)).post(url, progress())
    assert response.status_code == status
    assert ProgressUpdate.objects.count() == before


def test_owner_cannot_log_progress_on_a_colleagues_action_in_their_priority(
    client_for, owner, leads_action
):
    # The owner may read priority a's other actions but report only on their own.
    assert (
        client_for(owner).get(reverse("actions:detail", args=[leads_action.pk])).status_code == 200
    )
    response = client_for(owner).post(reverse("actions:update", args=[leads_action.pk]), progress())
    assert response.status_code == 403
    assert not leads_action.updates.filter(reported_on=datetime.date(2020, 3, 16)).exists()


def test_a_correction_replaces_the_update_it_names(client_for, owner, owners_action):
    wrong = owners_action.updates.get(reported_on=datetime.date(2019, 9, 2))
    spend_before = funding_lines([owners_action.work_stream])[owners_action.work_stream_id][0].spend
    response = client_for(owner).post(
        reverse("actions:update", args=[owners_action.pk]),
        progress(reported_on="2019-09-02", spend="2000", status="red", corrects=wrong.pk),
    )
    assert response.status_code == 302
    correction = wrong.corrections.get()
    assert correction.spend == Decimal("2000")
    wrong.refresh_from_db()
    assert wrong.spend == Decimal("2500")  # the original is kept, unchanged
    line = funding_lines([owners_action.work_stream])[owners_action.work_stream_id][0]
    assert line.spend == spend_before - Decimal("500")  # only the correction counts
    # The page marks the corrected update and names what the correction corrects.
    page = client_for(owner).get(reverse("actions:detail", args=[owners_action.pk]))
    assert "Corrected by a later update" in page.content.decode()
    assert "corrects the update of 2 Sep 2019" in page.content.decode()


def test_an_update_can_be_corrected_only_once(client_for, owner, owners_action):
    wrong = owners_action.updates.get(reported_on=datetime.date(2019, 9, 2))
    url = reverse("actions:update", args=[owners_action.pk])
    client_for(owner).post(url, progress(reported_on="2019-09-02", corrects=wrong.pk))
    with pytest.raises(Exception) as refused:
        services.progress_update_create(
            action=owners_action,
            author=owner,
            reported_on=datetime.date(2019, 9, 2),
            status="red",
            narrative="again",
            corrects=wrong,
        )
    assert refused.value.message_dict["corrects"] == [
        services.ALREADY_CORRECTED.format(day="2 Sep 2019")
    ]
    assert wrong.corrections.count() == 1


def test_a_correction_of_another_actions_update_is_refused(owner, owners_action, leads_action):
    other = leads_action.updates.first()
    with pytest.raises(Exception) as refused:
        services.progress_update_create(
            action=owners_action,
            author=owner,
            reported_on=datetime.date(2020, 1, 1),
            status="red",
            narrative="x",
            corrects=other,
        )
    assert refused.value.message_dict["corrects"] == [services.CORRECTS_OTHER_ACTION]


def test_progress_dated_in_a_closed_period_is_refused_with_a_clear_message(
    client_for, owner, admin, owners_action
):
    ClosedPeriod.objects.create(
        starts_on=datetime.date(2020, 1, 1), ends_on=datetime.date(2020, 3, 31), closed_by=admin
    )
    before = owners_action.updates.count()
    response = client_for(owner).post(
        reverse("actions:update", args=[owners_action.pk]), progress()
    )
    assert response.status_code == 200
    message = services.PERIOD_CLOSED.format(day="16 Mar 2020", period="1 Jan 2020 to 31 Mar 2020")
    assert response.context["form"].errors["reported_on"] == [message]
    assert "Two more bins installed" in response.content.decode()  # the narrative is kept
    assert owners_action.updates.count() == before


def test_a_future_date_is_refused(owner, owners_action):
    with pytest.raises(Exception) as refused:
        services.progress_update_create(
            action=owners_action,
            author=owner,
            reported_on=datetime.date(2020, 3, 2),
            status="green",
            narrative="x",
            today=datetime.date(2020, 3, 1),
        )
    assert refused.value.message_dict["reported_on"] == [
        services.FUTURE_DATE.format(today="1 Mar 2020")
    ]


def test_updates_have_no_edit_or_delete_route_and_the_admin_cannot_change_them(
    client_for, admin, owners_action
):
    update = owners_action.updates.first()
    client = client_for(admin)
    response = client.post(f"/admin/actions/progressupdate/{update.pk}/change/", {"narrative": "x"})
    assert response.status_code == 403
    assert client.post(f"/admin/actions/progressupdate/{update.pk}/delete/").status_code == 403
    update.refresh_from_db()
    assert update.narrative != "x"
