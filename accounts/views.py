"""The two-factor steps of sign-in and the recovery codes page."""

from __future__ import annotations

from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_static.models import StaticDevice

from accounts.forms import (
    CODE_REFUSED,
    SETUP_CODE_REFUSED,
    AuthenticatorSetupForm,
    ConfirmIdentityForm,
    ReplaceAuthenticatorForm,
    SecondFactorForm,
    throttled_message,
)
from accounts.two_factor import (
    authenticator_confirm,
    authenticator_for,
    may_set_up_two_factor,
    pending_authenticator_for,
    qr_code_svg,
    recovery_codes_left,
    recovery_codes_replace,
    requires_two_factor,
    secret_for_display,
    throttled_seconds,
    verify_second_factor,
)

# Set once after setting up or renewing, so the new codes are shown exactly once.
NEW_RECOVERY_CODES = "slp_new_recovery_codes"


def _next_url(request: HttpRequest) -> str:
    """Return the safe `next` address from the form or query, or the home page."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return settings.LOGIN_REDIRECT_URL


def _with_next(url_name: str, next_url: str) -> str:
    """Return the named page's address carrying `next` on."""
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


def _verified_login(request: HttpRequest, device) -> None:
    """Record the passed second factor under a new session key.

    The key the browser held before the second factor (after the password alone) is retired,
    so a copy of that cookie never becomes a verified session.
    """
    request.session.cycle_key()
    django_otp.login(request, device)


@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """Ask whoever needs a second factor and has an authenticator for a code, after the password."""
    user = request.user
    next_url = _next_url(request)
    if not requires_two_factor(user) or user.is_verified():
        return redirect(next_url)
    if authenticator_for(user) is None:
        return redirect(_with_next("two_factor_setup", next_url))
    form = SecondFactorForm(request.POST or None)
    if form.is_valid():
        wait = throttled_seconds(user)
        device = None if wait > 0 else verify_second_factor(user, form.cleaned_data["code"])
        if device is not None:
            _verified_login(request, device)
            if isinstance(device, StaticDevice):
                messages.warning(
                    request,
                    f"You signed in with a recovery code; {recovery_codes_left(user)} unused "
                    "codes remain. Make new ones under Sign-in security when you run low.",
                )
            return redirect(next_url)
        # A code sent while django-otp makes the user wait was not even checked: say how long.
        form.add_error("code", throttled_message(wait) if wait > 0 else CODE_REFUSED)
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": next_url})


@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator app: scan the QR code (or type the secret), confirm a code."""
    user = request.user
    next_url = _next_url(request)
    if not may_set_up_two_factor(user):
        return redirect(next_url)
    # Without a verified session, only someone with no authenticator yet may set one up:
    # otherwise a stolen password would be enough to replace the owner's app. Replacing one
    # also asks for the password and a current code: an open session is not enough either.
    replacing = authenticator_for(user) is not None
    if not user.is_verified() and replacing:
        return redirect(_with_next("two_factor_verify", next_url))
    device = pending_authenticator_for(user)
    if replacing:
        form = ReplaceAuthenticatorForm(request.POST or None, request=request)
    else:
        form = AuthenticatorSetupForm(request.POST or None)
    if form.is_valid():
        codes = authenticator_confirm(device=device, code=form.cleaned_data["code"])
        if codes is not None:
            device.refresh_from_db()
            _verified_login(request, device)
            request.session[NEW_RECOVERY_CODES] = codes
            messages.success(request, "Two-factor sign-in is set up.")
            return redirect(_with_next("recovery_codes", next_url))
        form.add_error("code", SETUP_CODE_REFUSED)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "next": next_url,
            "qr_code": qr_code_svg(device),
            "secret": secret_for_display(device),
            "replacing": replacing,
        },
    )


@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Show new recovery codes once; make a fresh set on POST (which voids the old ones).

    Making new codes asks for the password and a current code first. Someone who has not
    set up two-factor sign-in (an action owner may opt in) is offered to set it up here.
    """
    user = request.user
    if authenticator_for(user) is None:
        if requires_two_factor(user):
            return redirect(_with_next("two_factor_setup", _next_url(request)))
        return render(request, "accounts/recovery_codes.html", {"opt_in": True})
    form = ConfirmIdentityForm(request.POST if request.method == "POST" else None, request=request)
    if request.method == "POST" and form.is_valid():
        request.session[NEW_RECOVERY_CODES] = recovery_codes_replace(user=user)
        return redirect("recovery_codes")
    return render(
        request,
        "accounts/recovery_codes.html",
        {
            "form": form,
            "new_codes": request.session.pop(NEW_RECOVERY_CODES, None),
            "codes_left": recovery_codes_left(user),
            "next": _next_url(request),
        },
    )
