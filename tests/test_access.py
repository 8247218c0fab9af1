"""Sign-in is required everywhere but the sign-in page and the health check; roles are groups."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/"])
def test_anonymous_visitors_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={path}"


def test_anonymous_visitors_cannot_reach_the_admin(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_healthz_answers_ok_without_sign_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_sign_in_with_a_demo_account_lands_on_the_home_page(client):
    response = client.post(reverse("login"), {"username": "owner", "password": "demo"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_a_wrong_password_is_refused_with_a_message(client):
    response = client.post(reverse("login"), {"username": "chair", "password": "wrong"})
    assert response.status_code == 200
    assert "did not match" in response.content.decode()


def test_sign_out_is_post_only_and_ends_the_session(client_for, chair):
    client = client_for(chair)
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert client.get("/").status_code == 302


@pytest.mark.parametrize(
    ("username", "group"),
    [
        ("admin", "Admin"),
        ("chair", "Chair"),
        ("lead", "Strategic lead"),
        ("lead2", "Strategic lead"),
        ("owner", "Action owner"),
    ],
)
def test_each_demo_account_is_in_its_role_group(username, group):
    user = User.objects.get(username=username)
    assert list(user.groups.values_list("name", flat=True)) == [group]


def test_demo_leads_lead_their_priorities(lead, other_lead):
    assert {p.letter for p in lead.led_priorities.all()} == {"a"}
    assert {p.letter for p in other_lead.led_priorities.all()} == {"d"}


def test_only_the_admin_may_use_the_django_admin(client_for, admin, chair, lead, owner):
    """A signed-in non-Admin is refused with a 403 (it once looped between three redirects),
    even one given the staff flag by mistake."""
    assert client_for(admin).get("/admin/").status_code == 200
    lead.is_staff = True
    lead.save()
    for user in (chair, lead, owner):
        client = client_for(user)
        for path in ["/admin/", "/admin/login/?next=/admin/", "/admin/actions/action/"]:
            response = client.get(path, follow=True)
            assert response.status_code == 403, (user, path)
            assert len(response.redirect_chain) <= 2, (user, path, response.redirect_chain)


def test_navigation_shows_administration_only_to_admins(client_for, admin, chair):
    assert "Administration" in client_for(admin).get("/").content.decode()
    assert "Administration" not in client_for(chair).get("/").content.decode()


def test_chair_holds_view_permissions_only(chair):
    assert chair.has_perm("actions.view_action")
    assert not chair.has_perm("actions.change_action")
    assert not chair.has_perm("crime_stats.add_importbatch")


def test_leads_and_owners_hold_no_django_admin_permissions(lead, owner):
    """Their rights are scoped to their priority by the portal's querysets; a model permission
    would reach every priority's objects."""
    from django.contrib.auth.models import Group

    for name in ["Strategic lead", "Action owner"]:
        assert not Group.objects.get(name=name).permissions.exists()
    assert not lead.get_all_permissions() and not owner.get_all_permissions()


def test_the_admin_holds_the_security_screens_permissions_readme_names(admin):
    assert {
        "otp_totp.view_totpdevice",
        "otp_totp.delete_totpdevice",
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        "axes.view_accessfailurelog",
    } <= admin.get_all_permissions()
    assert not admin.is_superuser
    assert not {p for p in admin.get_all_permissions() if p.startswith("otp_static.")}
