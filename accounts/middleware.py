"""Middleware that ends stale sessions and holds back whoever needs a second factor until then.

Both sit after Django's authentication and django-otp's middleware (see settings.MIDDLEWARE).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from accounts.two_factor import authenticator_for, requires_two_factor

SIGNED_IN_AT = "slp_signed_in_at"
LAST_SEEN_AT = "slp_last_seen_at"
# Writing the session on every request would cost a database write each time; a minute's
# precision is plenty for a 30-minute idle timeout.
LAST_SEEN_PRECISION_SECONDS = 60

IDLE_MESSAGE = (
    "You were signed out because the portal was not used for {minutes} minutes. "
    "Sign in again to carry on."
)
ABSOLUTE_MESSAGE = (
    "You were signed out because you signed in more than {hours} hours ago. "
    "Sign in again to carry on."
)

# The pages a signed-in lead or admin may open before passing the second factor.
TWO_FACTOR_OPEN_URL_NAMES = {
    "two_factor_verify",
    "two_factor_setup",
    "logout",
    "accessibility",
    "healthz",
}


class SessionTimeoutMiddleware:
    """Sign the user out after SESSION_IDLE_TIMEOUT idle seconds, or SESSION_COOKIE_AGE in all."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            self._check(request, now=int(time.time()))
        return self.get_response(request)

    @staticmethod
    def _check(request: HttpRequest, now: int) -> None:
        session = request.session
        signed_in_at = session.setdefault(SIGNED_IN_AT, now)
        last_seen_at = session.get(LAST_SEEN_AT, now)
        if now - signed_in_at >= settings.SESSION_COOKIE_AGE:
            reason = ABSOLUTE_MESSAGE.format(hours=settings.SESSION_COOKIE_AGE // 3600)
        elif now - last_seen_at >= settings.SESSION_IDLE_TIMEOUT:
            reason = IDLE_MESSAGE.format(minutes=settings.SESSION_IDLE_TIMEOUT // 60)
        else:
            if LAST_SEEN_AT not in session or now - last_seen_at >= LAST_SEEN_PRECISION_SECONDS:
                session[LAST_SEEN_AT] = now
            return
        # The request carries on as an anonymous visitor: the login-required middleware then
        # sends them to the sign-in page with `next` set, where this message is shown.
        logout(request)
        messages.info(request, reason)


class TwoFactorRequiredMiddleware:
    """Send a lead or admin whose session has not passed the second factor to that step."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified() or not requires_two_factor(user):
            return None
        if request.resolver_match.view_name in TWO_FACTOR_OPEN_URL_NAMES:
            return None
        step = "two_factor_verify" if authenticator_for(user) else "two_factor_setup"
        next_url = request.get_full_path() if request.method == "GET" else "/"
        return redirect(f"{reverse(step)}?{urlencode({'next': next_url})}")
