"""Crime figures cannot be changed in the Django admin, so undoing an import never loses an edit."""

from decimal import Decimal

import pytest

from crime_stats.admin import FIGURES_READ_ONLY
from crime_stats.models import CrimeFigure

pytestmark = pytest.mark.django_db


def _figure() -> CrimeFigure:
    return CrimeFigure.objects.get(
        csp__name="Leicester", period__slug="apr-dec-2018", category="All crime"
    )


def test_an_admin_cannot_change_add_or_delete_a_figure_in_the_django_admin(client_for, admin):
    figure = _figure()
    before = (figure.rate, figure.offences, figure.population, figure.batch_id)
    count = CrimeFigure.objects.count()
    client = client_for(admin)
    url = f"/admin/crime_stats/crimefigure/{figure.pk}/"

    changed = client.post(
        f"{url}change/",
        {
            "csp": figure.csp_id,
            "period": figure.period_id,
            "category": figure.category,
            "rate": "1.000",
        },
    )
    added = client.post(
        "/admin/crime_stats/crimefigure/add/",
        {"csp": figure.csp_id, "period": figure.period_id, "category": "Robbery", "rate": "2"},
    )
    deleted = client.post(f"{url}delete/", {"post": "yes"})

    assert (changed.status_code, added.status_code, deleted.status_code) == (403, 403, 403)
    figure.refresh_from_db()
    assert (figure.rate, figure.offences, figure.population, figure.batch_id) == before
    assert figure.rate != Decimal("1.000")
    assert CrimeFigure.objects.count() == count


def test_the_admin_says_figures_change_only_through_an_import(client_for, admin):
    client = client_for(admin)
    listing = client.get("/admin/crime_stats/crimefigure/")
    detail = client.get(f"/admin/crime_stats/crimefigure/{_figure().pk}/change/")

    assert listing.status_code == 200 and detail.status_code == 200
    assert FIGURES_READ_ONLY in listing.content.decode()
    assert FIGURES_READ_ONLY in detail.content.decode()
    assert "Save and continue editing" not in detail.content.decode()
