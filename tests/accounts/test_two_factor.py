"""Two-factor sign-in: required of admins and leads, by authenticator code or recovery code."""

import binascii
import re
from base64 import b32decode

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.forms import CODE_REFUSED, SETUP_CODE_REFUSED
from accounts.middleware import TWO_FACTOR_OPEN_URL_NAMES
from accounts.two_factor import (
    DEMO_TOTP_SECRET,
    DEMO_TOTP_SECRET_BYTES,
    RECOVERY_CODE_COUNT,
    demo_authenticator_give,
    recovery_codes_replace,
)
from tests.conftest import totp_code, verified_device

pytestmark = pytest.mark.django_db

VERIFY = reverse("two_factor_verify")
SETUP = reverse("two_factor_setup")


def password_only(username: str, next_url: str = "") -> Client:
    """Return a client that has passed the password step only, through the real sign-in form."""
    client = Client()
    data = {"username": username, "password": "demo"}
    if next_url:
        data["next"] = next_url
    response = client.post(reverse("login"), data)
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def parameterless_paths() -> list[str]:
    """Return every URL of the portal that takes no parameters, as new pages land."""
    paths: list[str] = []

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            route = str(pattern.pattern)
            if "<" in route or "(" in route:
                continue
            route = route.lstrip("^").rstrip("$").replace("\\", "")
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + route)
            elif isinstance(pattern, URLPattern):
                if pattern.name in TWO_FACTOR_OPEN_URL_NAMES:
                    continue
                paths.append("/" + prefix + route)

    walk(get_resolver().url_patterns, "")
    return sorted(set(paths))


@pytest.mark.parametrize("username", ["admin", "chair", "lead", "lead2"])
def test_admins_and_leads_without_an_authenticator_are_taken_to_set_one_up(username):
    client = password_only(username)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next=%2F"


@pytest.mark.parametrize("username", ["owner"])
def test_an_action_owner_is_not_asked_for_a_second_factor(username):
    client = password_only(username)
    assert client.get("/").status_code == 200
    assert client.get(VERIFY).status_code == 302


def test_an_unverified_lead_reaches_no_page_but_the_two_factor_step(lead):
    verified_device(lead)
    client = password_only("lead")
    paths = parameterless_paths()
    assert {"/", "/admin/", "/admin/auth/user/", "/accounts/two-factor/recovery-codes/"} <= set(
        paths
    )
    for path in paths:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(VERIFY), path
    # Posting is held back too, and nothing is reached.
    response = client.post(reverse("recovery_codes"))
    assert response["Location"].startswith(VERIFY)
    assert not StaticToken.objects.filter(device__user=lead).exists()
    assert client.get(VERIFY).status_code == 200
    assert client.get(reverse("accessibility")).status_code == 200


def test_the_right_authenticator_code_completes_sign_in_and_keeps_next(lead):
    device = verified_device(lead)
    client = password_only("lead", next_url="/admin/")
    assert client.get("/admin/")["Location"] == f"{VERIFY}?next=%2Fadmin%2F"
    response = client.post(VERIFY, {"code": totp_code(device), "next": "/admin/"})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get("/").status_code == 200


def test_a_wrong_code_is_refused_and_counted(admin):
    device = verified_device(admin)
    client = password_only("admin")
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY, {"code": wrong})
    assert response.status_code == 200
    assert CODE_REFUSED in response.content.decode()
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert client.get("/admin/")["Location"].startswith(VERIFY)
    device.refresh_from_db()
    # django-otp now makes the next try wait, which slows guessing the code.
    assert device.throttling_failure_count == 1


def test_an_empty_code_is_refused_with_a_message(admin):
    verified_device(admin)
    response = password_only("admin").post(VERIFY, {"code": ""})
    assert "Enter the code from your authenticator app." in response.content.decode()


def test_a_recovery_code_works_once(lead):
    verified_device(lead)
    codes = recovery_codes_replace(user=lead)
    assert len(codes) == RECOVERY_CODE_COUNT == len(set(codes))

    client = password_only("lead")
    # Typed with spaces and capitals, as people copy them from paper.
    typed = " ".join([codes[0][:4].upper(), codes[0][4:].upper()])
    response = client.post(VERIFY, {"code": typed}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "9 unused codes remain" in response.content.decode()
    assert StaticToken.objects.filter(device__user=lead).count() == RECOVERY_CODE_COUNT - 1

    again = password_only("lead")
    response = again.post(VERIFY, {"code": codes[0]})
    assert CODE_REFUSED in response.content.decode()
    assert again.get("/")["Location"].startswith(VERIFY)


def test_setting_up_an_authenticator_confirms_it_and_shows_recovery_codes_once(lead):
    client = password_only("lead")
    page = client.get(SETUP).content.decode()
    device = TOTPDevice.objects.get(user=lead, confirmed=False)
    secret = "".join(re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page).group(1).split())
    assert b32decode(secret) == device.bin_key
    assert '<svg role="img" aria-label="QR code of your two-factor secret"' in page
    assert "style=" not in page

    response = client.post(SETUP, {"code": "000000" if totp_code(device) != "000000" else "1"})
    assert SETUP_CODE_REFUSED in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed

    device.throttle_reset()
    response = client.post(SETUP, {"code": totp_code(device), "next": "/"})
    assert response["Location"] == f"{reverse('recovery_codes')}?next=%2F"
    device.refresh_from_db()
    assert device.confirmed
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    page = client.get(response["Location"]).content.decode()
    codes = list(StaticToken.objects.filter(device__user=lead).values_list("token", flat=True))
    assert len(codes) == RECOVERY_CODE_COUNT
    assert all(f"<code>{code}</code>" in page for code in codes)
    # Shown once only.
    page = client.get(reverse("recovery_codes")).content.decode()
    assert not any(code in page for code in codes)
    assert "You have 10 unused recovery codes" in page


def test_a_password_alone_cannot_replace_an_existing_authenticator(lead):
    device = verified_device(lead)
    client = password_only("lead")
    response = client.get(SETUP)
    assert response["Location"].startswith(VERIFY)
    client.post(SETUP, {"code": "123456"})
    assert list(TOTPDevice.objects.filter(user=lead)) == [device]


def test_making_new_recovery_codes_voids_the_old_ones(client_for, admin):
    old = set(recovery_codes_replace(user=admin))
    client = client_for(admin)
    code = totp_code(verified_device(admin))
    response = client.post(reverse("recovery_codes"), {"password": "demo", "current_code": code})
    assert response["Location"] == reverse("recovery_codes")
    new = set(StaticToken.objects.filter(device__user=admin).values_list("token", flat=True))
    assert len(new) == RECOVERY_CODE_COUNT and not new & old
    page = client.get(reverse("recovery_codes")).content.decode()
    assert all(code in page for code in new)


def test_next_never_leaves_the_portal(lead):
    device = verified_device(lead)
    client = password_only("lead")
    response = client.post(VERIFY, {"code": totp_code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_client_for_gives_verified_sessions(client_for, admin, lead):
    assert client_for(admin).get("/admin/").status_code == 200
    assert client_for(lead).get("/").status_code == 200


def test_demo_admins_chair_and_leads_get_the_published_demo_secret_only_with_debug(settings):
    from slp_portal.demo import load_demo

    settings.DEBUG = False
    assert "demo authenticators added" not in load_demo()
    assert not TOTPDevice.objects.exists()

    settings.DEBUG = True
    assert load_demo()["demo authenticators added"] == 8  # admin, the chair and six leads
    assert not TOTPDevice.objects.filter(user__username="owner").exists()
    device = TOTPDevice.objects.get(user__username="lead")
    assert device.key == binascii.hexlify(DEMO_TOTP_SECRET_BYTES).decode()
    # The README's secret is the one an authenticator app would be given.
    assert b32decode(DEMO_TOTP_SECRET) == device.bin_key
    assert DEMO_TOTP_SECRET == "ONWHALLQN5ZHIYLMFVSGK3LPFVXW43DZ"
    client = password_only("lead")
    response = client.post(VERIFY, {"code": f"{totp(DEMO_TOTP_SECRET_BYTES):06d}"})
    assert response["Location"] == "/"
    # Running it again keeps the device the lead already has.
    assert demo_authenticator_give(user=User.objects.get(username="lead")) is False


def test_the_django_admin_sign_in_goes_through_the_portals_sign_in(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/admin/"
    assert not User.objects.filter(username="admin", last_login__isnull=False).exists()
