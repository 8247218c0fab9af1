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
    SecondFactorForm,
)
from accounts.two_factor import (
    authenticator_confirm,
    authenticator_for,
    pending_authenticator_for,
    qr_code_svg,
    recovery_codes_left,
    recovery_codes_replace,
    requires_two_factor,
    secret_for_display,
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


@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """Ask a lead or admin who has an authenticator for a code, after their password."""
    user = request.user
    next_url = _next_url(request)
    if not requires_two_factor(user) or user.is_verified():
        return redirect(next_url)
    if authenticator_for(user) is None:
        return redirect(_with_next("two_factor_setup", next_url))
    form = SecondFactorForm(request.POST or None)
    if form.is_valid():
        device = verify_second_factor(user, form.cleaned_data["code"])
        if device is not None:
            django_otp.login(request, device)
            if isinstance(device, StaticDevice):
                messages.warning(
                    request,
                    f"You signed in with a recovery code; {recovery_codes_left(user)} unused "
                    "codes remain. Make new ones under Sign-in security when you run low.",
                )
            return redirect(next_url)
        form.add_error("code", CODE_REFUSED)
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": next_url})


@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator app: scan the QR code (or type the secret), confirm a code."""
    user = request.user
    next_url = _next_url(request)
    if not requires_two_factor(user):
        return redirect(next_url)
    # Without a verified session, only someone with no authenticator yet may set one up:
    # otherwise a stolen password would be enough to replace the owner's app.
    if not user.is_verified() and authenticator_for(user) is not None:
        return redirect(_with_next("two_factor_verify", next_url))
    device = pending_authenticator_for(user)
    form = AuthenticatorSetupForm(request.POST or None)
    if form.is_valid():
        codes = authenticator_confirm(device=device, code=form.cleaned_data["code"])
        if codes is not None:
            device.refresh_from_db()
            django_otp.login(request, device)
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
        },
    )


@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Show new recovery codes once; make a fresh set on POST (which voids the old ones)."""
    user = request.user
    if not requires_two_factor(user):
        return redirect("home")
    if request.method == "POST":
        request.session[NEW_RECOVERY_CODES] = recovery_codes_replace(user=user)
        return redirect("recovery_codes")
    return render(
        request,
        "accounts/recovery_codes.html",
        {
            "new_codes": request.session.pop(NEW_RECOVERY_CODES, None),
            "codes_left": recovery_codes_left(user),
            "next": _next_url(request),
        },
    )
