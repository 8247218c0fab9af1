"""Two-factor sign-in: who needs it, their authenticator (TOTP) device and recovery codes.

django-otp stores the devices: one confirmed `TOTPDevice` per user (the authenticator app) and
one `StaticDevice` whose tokens are the user's single-use recovery codes. A session is
"verified" once `django_otp.login` has recorded the device that passed.
"""

from __future__ import annotations

import binascii
import io
import math
import re
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django_otp import verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import Role, has_role

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_CODES_NAME = "Recovery codes"

# The demo accounts' published secret, so that `make run` can be tried without a phone:
# `make demo-code` prints the current code. `load_demo` only installs it with DEBUG on.
DEMO_TOTP_SECRET_BYTES = b"slp-portal-demo-only"
DEMO_TOTP_SECRET = b32encode(DEMO_TOTP_SECRET_BYTES).decode()  # ONWHALLQN5ZHIYLMFVSGK3LPFVXW43DZ
DEMO_DEVICE_NAME = "Demo authenticator (published secret, never in production)"

_SIX_DIGITS = re.compile(r"^\d{6}$")


# The roles that must pass a second factor: Admin and Strategic lead change data, and the
# Chair reads everything (restricted case records included). Action owners may opt in.
TWO_FACTOR_ROLES = (Role.ADMIN, Role.CHAIR, Role.STRATEGIC_LEAD)


def requires_two_factor(user: AbstractBaseUser) -> bool:
    """Return True for a user who must pass a second factor: the roles above, and anyone
    (an action owner) who has set up an authenticator of their own accord."""
    if not user.is_authenticated:
        return False
    if any(has_role(user, role) for role in TWO_FACTOR_ROLES):
        return True
    opted_in = getattr(user, "_opted_in_two_factor", None)
    if opted_in is None:
        opted_in = authenticator_for(user) is not None
        user._opted_in_two_factor = opted_in
    return opted_in


def may_set_up_two_factor(user: AbstractBaseUser) -> bool:
    """Return True for anyone signed in: the roles above must, action owners may."""
    return user.is_authenticated


def authenticator_for(user: AbstractBaseUser) -> TOTPDevice | None:
    """Return the user's confirmed authenticator device, or None before they have set one up."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def pending_authenticator_for(user: AbstractBaseUser) -> TOTPDevice:
    """Return the unconfirmed device being set up (creating it), whose secret the user scans."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def normalise_code(raw: str) -> str:
    """Return the code as typed without spaces or hyphens, in lower case."""
    return re.sub(r"[\s-]", "", raw).lower()


def throttled_seconds(user: AbstractBaseUser) -> int:
    """Return how many seconds the user must wait before a code can be accepted (0: none).

    django-otp doubles each device's wait after every wrong code (1 s, 2 s, 4 s…).
    """
    now = timezone.now()
    waits = [0]
    for device in [
        *TOTPDevice.objects.devices_for_user(user, confirmed=True),
        *StaticDevice.objects.devices_for_user(user, confirmed=True),
    ]:
        allowed, data = device.verify_is_allowed()
        locked_until = (data or {}).get("locked_until")
        if not allowed and locked_until is not None:
            waits.append(math.ceil((locked_until - now).total_seconds()))
    return max(waits)


def verify_second_factor(user: AbstractBaseUser, raw_code: str) -> Device | None:
    """Return the device that accepts the code: a 6-digit authenticator code or a recovery code.

    django-otp throttles each device after a wrong code, and deletes a recovery code on use.
    """
    code = normalise_code(raw_code)
    if not code:
        return None
    if _SIX_DIGITS.match(code):
        devices = TOTPDevice.objects.devices_for_user(user, confirmed=True)
    else:
        devices = StaticDevice.objects.devices_for_user(user, confirmed=True)
    for device in devices:
        verified = verify_token(user, device.persistent_id, code)
        if verified is not None:
            return verified
    return None


@transaction.atomic
def authenticator_confirm(*, device: TOTPDevice, code: str) -> list[str] | None:
    """Return new recovery codes once the code proves the app holds the secret, else None.

    Any earlier authenticator of the user is removed: one app per person keeps recovery simple.
    """
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if not device.verify_token(normalise_code(code)):
        return None
    TOTPDevice.objects.filter(user=device.user, confirmed=True).delete()
    device.confirmed = True
    device.full_clean()
    device.save()
    return recovery_codes_replace(user=device.user)


@transaction.atomic
def recovery_codes_replace(*, user: AbstractBaseUser) -> list[str]:
    """Return a fresh set of recovery codes, replacing every earlier one of the user."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": RECOVERY_CODES_NAME, "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user: AbstractBaseUser) -> int:
    """Return how many unused recovery codes the user holds."""
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def demo_authenticator_give(*, user: AbstractBaseUser) -> bool:
    """Return True when the user was given the demo authenticator (False if they had one)."""
    key = binascii.hexlify(DEMO_TOTP_SECRET_BYTES).decode()
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return False
    TOTPDevice.objects.create(user=user, name=DEMO_DEVICE_NAME, key=key, confirmed=True)
    return True


def secret_for_display(device: TOTPDevice) -> str:
    """Return the device's secret in base32, in groups of four for typing into an app."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """Return an SVG QR code of the device's otpauth:// address, with no style attributes.

    The path image draws with `fill` attributes only, which the Content Security Policy allows.
    """
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    # Drop the XML declaration (the SVG is embedded in the page) and name the image.
    svg = re.sub(r"^<\?xml[^>]*>\s*", "", svg)
    return svg.replace(
        "<svg ", '<svg role="img" aria-label="QR code of your two-factor secret" ', 1
    )
