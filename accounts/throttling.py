"""Sign-in throttling with django-axes: the client's address and the locked-out page."""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

LOCKED_OUT_MESSAGE = (
    "Too many failed attempts to sign in as this user. For your security, signing in is "
    "paused for {minutes} minutes. Wait and try again, or ask an administrator of the portal "
    "to unlock the account."
)


class PairAndUsernameHandler(AxesDatabaseHandler):
    """django-axes' database handler, also locking a username guessed from many addresses.

    django-axes locks one username from one address after AXES_FAILURE_LIMIT failures; an
    attacker with many addresses got that many guesses from each. This also locks the username
    from everywhere once its failures from all addresses within the cool-off reach
    SLP_USERNAME_FAILURE_LIMIT (higher, so one person's typing never locks a colleague out).
    """

    def get_failures(self, request, credentials: dict | None = None) -> int:
        """Return the pair's failures, or the lockout limit once the username's are too many.

        django-axes compares this number with its limit both to refuse a sign-in and to mark
        the request locked out (which shows the lockout page), so both follow the username.
        """
        failures = super().get_failures(request, credentials)
        username = get_client_username(request, credentials)
        if username and username_failures(username) >= settings.SLP_USERNAME_FAILURE_LIMIT:
            return max(failures, get_failure_limit(request, credentials))
        return failures


def username_failures(username: str) -> int:
    """Return the failed sign-ins as `username` from every address within the cool-off time."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    attempts = AccessAttempt.objects.filter(username=username, attempt_time__gte=since)
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def client_ip_address(request: HttpRequest) -> str | None:
    """Return the client's address: from X-Forwarded-For behind trusted proxies, else the peer.

    Only the entry added by the nearest trusted proxy is believed; anything further left could
    have been typed by the client.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


def locked_out(
    request: HttpRequest, response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """Return the sign-in page with the lockout explained (HTTP 429), for django-axes."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "registration/login.html",
        {
            "form": form,
            "locked_out_message": LOCKED_OUT_MESSAGE.format(minutes=minutes),
            "next": request.POST.get("next", ""),
        },
        status=429,
    )
