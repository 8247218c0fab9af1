"""The Django admin keeps the actions' rules: no progress added around the service."""

import datetime

import pytest

from actions.models import ProgressUpdate

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
