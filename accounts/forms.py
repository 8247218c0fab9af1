"""Sign-in: the username and password form, then a code from the authenticator app or a
recovery code."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator

from accounts.two_factor import throttled_seconds, verify_second_factor

CODE_REFUSED = (
    "That code was not accepted. Enter the 6-digit code your authenticator app shows now, "
    "or one of your unused recovery codes."
)
SETUP_CODE_REFUSED = (
    "That code did not match. Check that the app shows the SLP Portal entry you just added "
    "and enter the 6-digit code it shows now."
)


CODE_THROTTLED = (
    "Too many wrong codes in a row. Wait {seconds} second{plural}, then enter the code your "
    "authenticator app shows at that time."
)
PASSWORD_REFUSED = "That is not your password. Enter the password you sign in with."  # noqa: S105
PASSWORD_LOCKED = (
    "Too many wrong passwords: checking your password is paused for a while. Try again later, "  # noqa: S105
    "or ask an administrator of the portal to unlock the account."
)
CURRENT_CODE_REFUSED = (
    "That code was not accepted. Enter the 6-digit code your current authenticator app shows "
    "now, or one of your unused recovery codes."
)


def throttled_message(seconds: int) -> str:
    """Return the message that says how long to wait before the next code."""
    return CODE_THROTTLED.format(seconds=seconds, plural="" if seconds == 1 else "s")


class _CodeForm(forms.Form):
    """A one-field form laid out by crispy; the template owns the <form> tag and the button."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class SecondFactorForm(_CodeForm):
    """Accepts a 6-digit authenticator code or a recovery code (checked by the view)."""

    code = forms.CharField(
        label="Code",
        max_length=32,
        help_text="The 6-digit code from your authenticator app, or a recovery code.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
        error_messages={"required": "Enter the code from your authenticator app."},
    )


class AuthenticatorSetupForm(_CodeForm):
    """Accepts the first code from a newly added authenticator app."""

    code = forms.CharField(
        label="Code from your app",
        max_length=16,
        help_text="The 6-digit code your app shows for the SLP Portal.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={"required": "Enter the 6-digit code your app shows."},
    )


class ConfirmIdentityForm(forms.Form):
    """The password and a current code, asked before the second factor itself is changed.

    A session left open is not enough to replace someone's authenticator or recovery codes:
    whoever does it proves they know the password and hold the current authenticator.
    """

    password = forms.CharField(
        label="Your password",
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter the password you sign in with."},
    )
    current_code = forms.CharField(
        label="Code from your current authenticator app",
        max_length=32,
        help_text="The 6-digit code it shows now, or one of your unused recovery codes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "none"}),
        error_messages={"required": "Enter the code your current authenticator app shows."},
    )

    def __init__(self, *args, request, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = request.user
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self) -> dict:
        cleaned = super().clean()
        password, code = cleaned.get("password"), cleaned.get("current_code")
        # Through authenticate(), so the sign-in lockout counts wrong passwords here too: an
        # open session is no place to guess a password without limit.
        if password is not None and (
            authenticate(self.request, username=self.user.get_username(), password=password)
            != self.user
        ):
            locked = getattr(self.request, "axes_locked_out", False)
            self.add_error("password", PASSWORD_LOCKED if locked else PASSWORD_REFUSED)
        if code is not None and "password" not in self.errors:
            wait = throttled_seconds(self.user)
            if wait > 0:
                self.add_error("current_code", throttled_message(wait))
            elif verify_second_factor(self.user, code) is None:
                self.add_error("current_code", CURRENT_CODE_REFUSED)
        return cleaned


class ReplaceAuthenticatorForm(ConfirmIdentityForm, AuthenticatorSetupForm):
    """Setting up a new authenticator over an existing one: identity first, then the new code."""

    field_order = ["password", "current_code", "code"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].label = "Code from your new app"
        self.fields["code"].help_text = "The 6-digit code the new app shows for the SLP Portal."


class SignInForm(AuthenticationForm):
    """Django's sign-in form, refusing an over-long username before anything looks it up.

    Django sets the username's max_length after the field is built, so it is not checked on
    the server; an over-long one reached the sign-in throttle's log, whose column PostgreSQL
    keeps to 255 characters, and the page failed with a server error.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length or 150))
