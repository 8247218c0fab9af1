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
    response = client.post(reverse("login"), {"username": "chair", "password": "demo"})
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
    assert client_for(admin).get("/admin/").status_code == 200
    for user in (chair, lead, owner):
        assert client_for(user).get("/admin/").status_code == 302


def test_navigation_shows_administration_only_to_admins(client_for, admin, chair):
    assert "Administration" in client_for(admin).get("/").content.decode()
    assert "Administration" not in client_for(chair).get("/").content.decode()


def test_chair_holds_view_permissions_only(chair):
    assert chair.has_perm("actions.view_action")
    assert not chair.has_perm("actions.change_action")
    assert not chair.has_perm("crime_stats.add_importbatch")


def test_roles_hold_view_permissions_and_only_their_extras():
    from django.contrib.auth.models import Group

    lead_group = Group.objects.get(name="Strategic lead")
    codenames = set(lead_group.permissions.values_list("codename", flat=True))
    assert {"view_action", "view_crimefigure", "add_progressupdate", "change_action"} <= codenames
    assert "delete_action" not in codenames
    assert "add_importbatch" not in codenames
    owner_group = Group.objects.get(name="Action owner")
    assert not {
        c
        for c in owner_group.permissions.values_list("codename", flat=True)
        if not c.startswith("view_")
    } - {"add_progressupdate"}
