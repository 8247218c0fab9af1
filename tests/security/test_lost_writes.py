"""Writes that must never be lost or doubled, whatever the timing.

Two people edit the same work-stream: the second save is refused, says who changed what, and
loses nothing. A progress form sent twice stores one update. Two people create the same
work-stream or action: the second is told, not a server error.
"""

import datetime
import uuid
from decimal import Decimal
from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from actions import services
from actions.models import Action, ProgressUpdate
from actions.services import FORM_REUSED, SENT_TWICE, TITLE_TAKEN
from priorities import services as priority_services
from priorities.models import Priority, WorkStream
from tests.form_data import progress, smart_form_data

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
    priority_services.work_stream_save(
        work_stream=knife_stream, editor=lead, allocations={2019: Decimal(1)}, edited_version=1
    )
    stale.name = "Stale"
    with pytest.raises(priority_services.ConcurrentEditError):
        priority_services.work_stream_save(
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
        priority_services.NAME_TAKEN.format(name="Safer nights JAG")
    ]
    assert WorkStream.objects.filter(name="Safer nights JAG").count() == 1


# A progress form sent twice stores one update (its idempotency key).


def _progress_form(client, action) -> dict:
    """Return the progress form's data as the page sends it, with its idempotency key."""
    page = client.get(reverse("actions:update", args=[action.pk]))
    return progress(submission_key=page.context["form"]["submission_key"].value())


def test_a_progress_form_sent_twice_stores_one_update(client_for, owner):
    action = Action.objects.get(title="Weapons amnesty bins")
    client = client_for(owner)
    url = reverse("actions:update", args=[action.pk])
    data = _progress_form(client, action)
    before = ProgressUpdate.objects.count()

    first, second = client.post(url, data), client.post(url, data)

    assert first.status_code == second.status_code == 302
    assert ProgressUpdate.objects.count() == before + 1
    shown = [str(m) for m in get_messages(second.wsgi_request)]
    assert shown[-1] == SENT_TWICE.format(title=action.title)
    # Each form shown gets its own key, so the next update is a new one.
    assert client.post(url, _progress_form(client, action)).status_code == 302
    assert ProgressUpdate.objects.count() == before + 2


def test_a_second_sending_that_races_the_first_stores_nothing_more(owner):
    """Both sendings pass the look-up; the second meets the database's unique key."""
    action = Action.objects.get(title="Weapons amnesty bins")
    key = uuid.uuid4()
    fields = {"reported_on": datetime.date(2020, 3, 16), "status": "green", "narrative": "x"}
    first = services.progress_update_create(
        action=action, author=owner, submission_key=key, **fields
    )
    real = services._submitted_before
    with mock.patch.object(services, "_submitted_before", side_effect=[None, real]) as look_up:
        look_up.side_effect = [None, real(key, action=action, author=owner)]
        again = services.progress_update_create(
            action=action, author=owner, submission_key=key, **fields
        )
    assert again.pk == first.pk and again.submission_key_reused
    assert ProgressUpdate.objects.filter(submission_key=key).count() == 1


def test_a_key_replayed_on_another_action_is_refused(client_for, owner):
    action = Action.objects.get(title="Weapons amnesty bins")
    other = Action.objects.visible_to(owner).mine(owner).exclude(pk=action.pk).first()
    client = client_for(owner)
    data = _progress_form(client, action)
    assert client.post(reverse("actions:update", args=[action.pk]), data).status_code == 302
    before = ProgressUpdate.objects.count()
    response = client.post(reverse("actions:update", args=[other.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [FORM_REUSED]
    assert ProgressUpdate.objects.count() == before


def test_an_action_create_that_loses_the_race_for_a_title_is_told_not_a_server_error(
    client_for, lead
):
    stream = WorkStream.objects.get(name="Knife crime and serious violence work-stream")
    data = smart_form_data(work_stream=stream.pk, owner=lead.pk)
    url = reverse("actions:create")
    assert client_for(lead).post(url, data).status_code == 302
    with mock.patch.object(Action, "validate_constraints"):
        response = client_for(lead).post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["title"] == [
        TITLE_TAKEN.format(title="Safe space in the city centre")
    ]
    assert Action.objects.filter(title="Safe space in the city centre").count() == 1


# Every other object an Admin edits in the Django admin is checked the same way.


def _admin_form_data(response, **overrides) -> dict:
    """Return the admin change form's data as the browser would send it, inlines included."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms += list(formset.forms)
        management = formset.management_form
        data.update({management.add_prefix(n): management[n].value() for n in management.fields})
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is not None:
                data[form.add_prefix(name)] = value
    return {**data, **overrides}


def test_an_admin_edit_over_a_newer_admin_edit_is_refused(client_for, admin):
    from priorities.models import Partner

    partner = Partner.objects.get(name="Leicester City Council")
    url = reverse("admin:priorities_partner_change", args=[partner.pk])
    first, second = client_for(admin), client_for(admin)
    loaded_by_second = second.get(url)
    first_data = _admin_form_data(first.get(url), name="Leicester City Council (LCC)")
    assert first.post(url, first_data).status_code == 302

    response = second.post(url, _admin_form_data(loaded_by_second, name="LCC"))

    assert response.status_code == 200
    [error] = response.context["adminform"].form.non_field_errors()
    assert error.startswith(f"{admin.get_full_name() or admin} changed this partner at ")
    assert "(changed: name)" in error
    partner.refresh_from_db()
    assert partner.name == "Leicester City Council (LCC)"
    # The form now carries what is stored: saving again is a deliberate overwrite.
    again = second.post(url, _admin_form_data(response, name="LCC"))
    assert again.status_code == 302
    partner.refresh_from_db()
    assert partner.name == "LCC"


def test_an_admin_edit_of_a_work_stream_refuses_a_lead_form_loaded_before_it(
    client_for, admin, lead
):
    stream = WorkStream.objects.get(name="Knife crime and serious violence work-stream")
    admin_url = reverse("admin:priorities_workstream_change", args=[stream.pk])
    lead_url = reverse("priorities:work_stream_edit", args=[stream.pk])
    lead_client = client_for(lead)
    assert lead_client.get(lead_url).status_code == 200
    admin_client = client_for(admin)
    data = _admin_form_data(admin_client.get(admin_url), description="Set by the admin")
    assert admin_client.post(admin_url, data).status_code == 302

    response = lead_client.post(lead_url, _data(stream, description="Set by the lead"))

    assert response.status_code == 200
    assert "changed this work-stream" in response.context["form"].non_field_errors()[0]
    stream.refresh_from_db()
    assert (stream.description, stream.version) == ("Set by the admin", 2)


def test_two_admins_adding_the_same_period_at_once_get_a_message_not_a_server_error(
    client_for, admin
):
    """Both pass the form's uniqueness check; the second meets the database's constraint."""
    from django.contrib.messages import get_messages

    from crime_stats.models import ReportingPeriod
    from slp_portal.admin_site import SAVED_AT_ONCE

    period = ReportingPeriod.objects.order_by("start").first()
    before = ReportingPeriod.objects.count()
    data = {
        "label": period.label,
        "slug": period.slug,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
    }
    with (
        mock.patch.object(ReportingPeriod, "validate_unique"),
        mock.patch.object(ReportingPeriod, "validate_constraints"),
    ):
        response = client_for(admin).post(reverse("admin:crime_stats_reportingperiod_add"), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:crime_stats_reportingperiod_changelist")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        SAVED_AT_ONCE.format(noun="reporting period")
    ]
    assert ReportingPeriod.objects.count() == before


def test_the_duty_list_editable_column_still_saves(client_for, admin):
    """The change list's editable columns carry no loaded values: nothing to compare with."""
    from partnership.models import Duty

    duty = Duty.objects.order_by("order", "title").first()
    url = reverse("admin:partnership_duty_changelist")
    page = client_for(admin).get(url)
    formset = page.context["cl"].formset
    data = {formset.management_form.add_prefix(n): v.value() for n, v in [
        (name, formset.management_form[name]) for name in formset.management_form.fields
    ]}  # fmt: skip
    for form in formset.forms:
        for name in form.fields:
            value = form[name].value()
            if value is not None:
                data[form.add_prefix(name)] = value
    row = next(f for f in formset.forms if f.instance.pk == duty.pk)
    data[row.add_prefix("receiving_body")] = "The Police and Crime Commissioner for Leicestershire"
    data["_save"] = "Save"
    assert client_for(admin).post(url, data).status_code == 302
    duty.refresh_from_db()
    assert duty.receiving_body == "The Police and Crime Commissioner for Leicestershire"
