"""The Django admin keeps the actions' rules: no progress around the service, versions bumped."""

import datetime

import pytest

from actions.models import ProgressUpdate
from tests.form_data import smart_form_data

pytestmark = pytest.mark.django_db


def test_the_admin_cannot_add_a_progress_update_around_the_service(
    client_for, admin, owner, owners_action
):
    client = client_for(admin)
    before = ProgressUpdate.objects.count()
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)

    form = client.get("/admin/actions/progressupdate/add/")
    response = client.post(
        "/admin/actions/progressupdate/add/",
        {
            "action": owners_action.pk,
            "reported_on": tomorrow.isoformat(),  # the service refuses a future date
            "status": "green",
            "narrative": "Added behind the service's back.",
            "spend": "100",
            "author": owner.pk,
        },
    )

    assert (form.status_code, response.status_code) == (403, 403)
    assert ProgressUpdate.objects.count() == before
    assert not ProgressUpdate.objects.filter(narrative="Added behind the service's back.").exists()
    listing = client.get("/admin/actions/progressupdate/")
    assert listing.status_code == 200
    assert "/admin/actions/progressupdate/add/" not in listing.content.decode()


def _admin_form_data(response, **overrides) -> dict:
    """Return the admin change form's submission as loaded, with `overrides` typed in."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        else:
            data[name] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[f"{formset.prefix}-{name}"] = management[name].value()
        for index, inline_form in enumerate(formset.forms):
            data[f"{formset.prefix}-{index}-id"] = inline_form.instance.pk
            data[f"{formset.prefix}-{index}-action"] = inline_form.instance.action_id
    data.update(overrides)
    return data


def test_an_admin_edit_bumps_the_version_so_a_leads_older_form_is_refused(
    client_for, admin, lead, owners_action
):
    from django.urls import reverse

    admin_url = f"/admin/actions/action/{owners_action.pk}/change/"
    lead_url = reverse("actions:edit", args=[owners_action.pk])
    lead_client, admin_client = client_for(lead), client_for(admin)
    # The lead opens the edit page at version 1, then an Admin edits in the Django admin.
    assert lead_client.get(lead_url).context["form"]["edited_version"].value() == 1
    loaded = admin_client.get(admin_url)
    saved = admin_client.post(admin_url, _admin_form_data(loaded, unit="amnesty bins"))
    assert saved.status_code == 302
    owners_action.refresh_from_db()
    assert (owners_action.unit, owners_action.version) == ("amnesty bins", 2)

    response = lead_client.post(
        lead_url, smart_form_data(owners_action, target="6", unit="bins", edited_version=1)
    )

    assert response.status_code == 200
    [error] = response.context["form"].non_field_errors()
    assert error.startswith("Amira Shah changed this action at ")
    assert "(changed: unit)" in error
    owners_action.refresh_from_db()
    assert (owners_action.unit, str(owners_action.target), owners_action.version) == (
        "amnesty bins",
        "4.00",
        2,
    )


def test_an_admin_form_older_than_a_leads_save_is_refused_and_keeps_its_input(
    client_for, admin, lead, owners_action
):
    from django.urls import reverse

    admin_url = f"/admin/actions/action/{owners_action.pk}/change/"
    admin_client = client_for(admin)
    loaded = admin_client.get(admin_url)
    lead_save = client_for(lead).post(
        reverse("actions:edit", args=[owners_action.pk]), smart_form_data(owners_action, target="6")
    )
    assert lead_save.status_code == 302

    refused = admin_client.post(admin_url, _admin_form_data(loaded, unit="amnesty bins"))

    assert refused.status_code == 200
    [error] = refused.context["adminform"].form.non_field_errors()
    assert error.startswith("Dan Hughes changed this action at ") and "(changed: target)" in error
    assert 'value="amnesty bins"' in refused.content.decode()
    owners_action.refresh_from_db()
    assert (owners_action.unit, str(owners_action.target), owners_action.version) == (
        "bins",
        "6.00",
        2,
    )
    # Saving again is a deliberate overwrite of the version the admin has now seen.
    again = admin_client.post(admin_url, _admin_form_data(refused, unit="amnesty bins"))
    assert again.status_code == 302
    owners_action.refresh_from_db()
    assert (owners_action.unit, owners_action.version) == ("amnesty bins", 3)
