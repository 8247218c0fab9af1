"""Sessions end after 30 idle minutes, and 8 hours after sign-in however busy."""

import time

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from accounts.middleware import ABSOLUTE_MESSAGE, IDLE_MESSAGE, LAST_SEEN_AT, SIGNED_IN_AT

pytestmark = pytest.mark.django_db


def shift(client, **seconds_ago: int) -> None:
    """Move the session's timestamps into the past."""
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[{"signed_in": SIGNED_IN_AT, "last_seen": LAST_SEEN_AT}[key]] = now - ago
    session.save()


def test_the_session_cookie_ends_with_the_browser_and_the_server_drops_it_after_8_hours(
    client_for, chair, settings
):
    client = client_for(chair)
    response = client.get("/")
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert (cookie["expires"], cookie["max-age"]) == ("", "")  # gone when the browser closes
    stored = Session.objects.get(session_key=client.session.session_key)
    left = (stored.expire_date - timezone.now()).total_seconds()
    assert 8 * 60 * 60 - 60 < left <= 8 * 60 * 60


def test_a_request_stamps_the_session(client_for, chair):
    client = client_for(chair)
    before = int(time.time())
    assert client.get("/").status_code == 200
    assert client.session[SIGNED_IN_AT] >= before
    assert client.session[LAST_SEEN_AT] >= before


def test_thirty_idle_minutes_sign_the_user_out_with_the_reason(client_for, chair):
    client = client_for(chair)
    client.get("/")
    shift(client, last_seen=30 * 60 + 1)
    response = client.get("/", follow=True)
    assert response.redirect_chain == [(f"{reverse('login')}?next=/", 302)]
    assert IDLE_MESSAGE.format(minutes=30) in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_activity_keeps_the_session_alive(client_for, chair):
    client = client_for(chair)
    client.get("/")
    shift(client, last_seen=29 * 60)
    assert client.get("/").status_code == 200
    assert int(time.time()) - client.session[LAST_SEEN_AT] < 5


def test_eight_hours_after_sign_in_the_session_ends_however_busy(client_for, lead):
    client = client_for(lead)
    client.get("/")
    shift(client, signed_in=8 * 60 * 60 + 1, last_seen=10)
    response = client.get("/", follow=True)
    assert response.redirect_chain[0] == (f"{reverse('login')}?next=/", 302)
    assert ABSOLUTE_MESSAGE.format(hours=8) in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Signing out also ends the second factor: the next sign-in asks for it again.
    assert "otp_device_id" not in client.session
