"""Sign-in throttling with django-axes: the client's address and the locked-out page."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

LOCKED_OUT_MESSAGE = (
    "Too many failed attempts to sign in as this user from this device. For your security, "
    "signing in is paused for {minutes} minutes. Wait and try again, or ask an administrator "
    "of the portal to unlock the account."
)


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
