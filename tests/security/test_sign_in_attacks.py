"""The security review's sign-in probes: each once worked, each is refused now."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.forms import (
    CURRENT_CODE_REFUSED,
    PASSWORD_LOCKED,
    PASSWORD_REFUSED,
    throttled_message,
)
from accounts.throttling import LOCKED_OUT_MESSAGE
from accounts.two_factor import recovery_codes_replace
from tests.accounts.test_two_factor import SETUP, VERIFY, password_only
from tests.conftest import totp_code, verified_device

pytestmark = pytest.mark.django_db


def test_the_session_key_changes_when_the_second_factor_is_passed(lead):
    """A copy of the cookie taken after the password alone never becomes a verified session."""
    device = verified_device(lead)
    client = password_only("lead")
    before = client.session.session_key
    assert client.post(VERIFY, {"code": totp_code(device)}).status_code == 302
    after = client.session.session_key
    assert after != before
    assert not SessionStore().exists(before)
    stolen = Client()
    stolen.cookies["sessionid"] = before
    assert stolen.get("/").status_code == 302  # to sign in: that session is gone


def test_replacing_the_authenticator_needs_the_password_and_a_current_code(client_for, lead):
    old = verified_device(lead)
    client = client_for(lead)  # a verified session left open on a shared computer
    client.get(SETUP)
    new = TOTPDevice.objects.get(user=lead, confirmed=False)

    refused = client.post(SETUP, {"code": totp_code(new)})
    errors = refused.context["form"].errors
    assert set(errors) == {"password", "current_code"}
    wrong = client.post(
        SETUP, {"password": "guess", "current_code": totp_code(old), "code": totp_code(new)}
    )
    assert wrong.context["form"].errors["password"] == [PASSWORD_REFUSED]
    assert list(TOTPDevice.objects.filter(user=lead, confirmed=True)) == [old]

    done = client.post(
        SETUP, {"password": "demo", "current_code": totp_code(old), "code": totp_code(new)}
    )
    assert done.status_code == 302
    assert list(TOTPDevice.objects.filter(user=lead, confirmed=True)) == [new]


def test_new_recovery_codes_need_the_password_and_a_current_code(client_for, admin):
    old = set(recovery_codes_replace(user=admin))
    client = client_for(admin)
    response = client.post(reverse("recovery_codes"))
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"password", "current_code"}
    response = client.post(
        reverse("recovery_codes"), {"password": "demo", "current_code": "000000"}
    )
    assert response.context["form"].errors["current_code"] == [CURRENT_CODE_REFUSED]
    assert (
        set(StaticToken.objects.filter(device__user=admin).values_list("token", flat=True)) == old
    )


def test_guessing_one_password_from_many_addresses_locks_the_username(client):
    """Five tries per address was unlimited in all; twenty in the cool-off lock the username."""
    for number in range(20):
        response = client.post(
            reverse("login"),
            {"username": "owner", "password": "wrong"},
            REMOTE_ADDR=f"10.1.0.{number}",
        )
        assert response.status_code == (429 if number == 19 else 200)
    assert AccessAttempt.objects.filter(username="owner").count() == 20
    response = Client().post(
        reverse("login"), {"username": "owner", "password": "demo"}, REMOTE_ADDR="10.2.0.1"
    )
    assert response.status_code == 429
    assert LOCKED_OUT_MESSAGE.format(minutes=15) in response.content.decode()
    # A colleague is not affected.
    assert (
        Client().post(reverse("login"), {"username": "chair", "password": "demo"}).status_code
        == 302
    )


def test_the_two_factor_step_says_how_long_to_wait(admin):
    device = verified_device(admin)
    client = password_only("admin")
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    client.post(VERIFY, {"code": wrong})
    client.post(VERIFY, {"code": wrong})  # within the second django-otp now makes it wait
    device.refresh_from_db()
    response = client.post(VERIFY, {"code": totp_code(device)})
    [error] = response.context["form"].errors["code"]
    assert error in {throttled_message(seconds) for seconds in range(1, 5)}
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_the_chair_needs_the_second_factor_and_an_owner_may_opt_in(owner):
    assert password_only("chair").get("/")["Location"].startswith(SETUP)
    client = password_only("owner")
    assert client.get("/").status_code == 200  # not asked
    assert "Turn on two-factor sign-in" in client.get(reverse("recovery_codes")).content.decode()
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=owner, confirmed=False)
    assert client.post(SETUP, {"code": totp_code(device)}).status_code == 302
    # From now on the owner's sign-in asks for the code too.
    assert password_only("owner").get("/")["Location"].startswith(VERIFY)


@pytest.mark.parametrize(
    "path",
    [
        "/admin/otp_totp/totpdevice/",
        "/admin/axes/accessattempt/",
        "/admin/axes/accessfailurelog/",
        "/admin/actions/closedperiod/",
    ],
)
def test_the_admin_role_reaches_the_screens_readme_sends_it_to(client_for, admin, lead, path):
    assert not admin.is_superuser
    assert client_for(admin).get(path).status_code == 200
    assert client_for(lead).get(path).status_code == 403


def test_the_admin_role_deletes_a_lost_phones_authenticator(client_for, admin, lead):
    device = verified_device(lead)
    url = reverse("admin:otp_totp_totpdevice_delete", args=[device.pk])
    assert client_for(admin).post(url, {"post": "yes"}).status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()


def test_the_password_asked_in_an_open_session_cannot_be_guessed_without_limit(client_for, admin):
    """A session left open is no password oracle: wrong passwords count towards the lockout."""
    client = client_for(admin)
    url = reverse("recovery_codes")
    for attempt in range(5):
        response = client.post(url, {"password": "guess", "current_code": "000000"})
        expected = PASSWORD_LOCKED if attempt == 4 else PASSWORD_REFUSED
        assert response.context["form"].errors["password"] == [expected]
    code = totp_code(verified_device(admin))
    response = client.post(url, {"password": "demo", "current_code": code})
    assert response.context["form"].errors["password"] == [PASSWORD_LOCKED]
