"""Sign-in: the username and password form, then a code from the authenticator app or a
recovery code."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator

CODE_REFUSED = (
    "That code was not accepted. Enter the 6-digit code your authenticator app shows now, "
    "or one of your unused recovery codes."
)
SETUP_CODE_REFUSED = (
    "That code did not match. Check that the app shows the SLP Portal entry you just added "
    "and enter the 6-digit code it shows now."
)


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
