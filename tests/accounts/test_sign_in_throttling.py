"""django-axes: repeated wrong passwords lock out that username from that address, logged."""

import datetime
import logging

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.test import Client
from django.urls import reverse

from accounts.throttling import LOCKED_OUT_MESSAGE

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
LOCKED_OUT = LOCKED_OUT_MESSAGE.format(minutes=15)


def attempt(client: Client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_wrong_passwords_lock_the_account_out_from_that_address(caplog):
    client = Client()
    caplog.set_level(logging.WARNING, logger="axes")
    for _ in range(4):
        response = attempt(client, "chair", "wrong")
        assert response.status_code == 200
        assert "did not match" in response.content.decode()
    response = attempt(client, "chair", "wrong")
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED_OUT in page
    assert 'value="chair"' in page  # the sign-in page, with the username kept

    # Even the right password is refused while locked out, and no session starts.
    response = attempt(client, "chair", "demo")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session

    record = AccessAttempt.objects.get(username="chair")
    assert record.ip_address == "10.0.0.1"
    assert record.failures_since_start == 6
    assert AccessFailureLog.objects.filter(username="chair").count() == 6
    lockouts = [message for message in caplog.messages if "Locking out" in message]
    assert lockouts and all('"chair"' in m and '"10.0.0.1"' in m for m in lockouts)


def test_the_lockout_is_for_that_username_and_address_only():
    client = Client()
    for _ in range(5):
        attempt(client, "chair", "wrong")
    # The same person from another address, and a colleague from this one, still sign in.
    assert attempt(Client(), "chair", "demo", address="10.0.0.2").status_code == 302
    assert attempt(Client(), "owner", "demo").status_code == 302


def test_the_lockout_ends_after_fifteen_minutes():
    client = Client()
    for _ in range(5):
        attempt(client, "owner", "wrong")
    assert attempt(client, "owner", "demo").status_code == 429
    AccessAttempt.objects.filter(username="owner").update(
        attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=16)
    )
    response = attempt(client, "owner", "demo")
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_a_successful_sign_in_clears_earlier_failures():
    client = Client()
    for _ in range(4):
        attempt(client, "chair", "wrong")
    assert attempt(client, "chair", "demo").status_code == 302
    assert not AccessAttempt.objects.filter(username="chair").exists()
    # So four more mistakes later do not lock the account out.
    for _ in range(4):
        assert attempt(Client(), "chair", "wrong").status_code == 200


def test_the_address_behind_a_trusted_proxy_is_the_forwarded_one(settings):
    from django.test import RequestFactory

    from accounts.throttling import client_ip_address

    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip_address(request) == "10.9.9.9"
    settings.TRUSTED_PROXY_COUNT = 1
    # The left-most entry was typed by the client; only the proxy's own entry is believed.
    assert client_ip_address(request) == "203.0.113.7"
