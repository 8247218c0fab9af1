"""Model fields shared by the plan and its delivery: free text with a maximum length."""

from __future__ import annotations

from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

ONE_LINE_MESSAGE = "Keep this to one line: remove the line breaks."
# Every character Python (and so an email's text) reads as a line break.
single_line = RegexValidator(
    r"[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]", ONE_LINE_MESSAGE, inverse_match=True
)


def bounded_text(limit: int, verbose_name: str | None = None, **kwargs) -> models.TextField:
    """Return a TextField of at most `limit` characters, checked by the form and the model.

    The form gets `maxlength` and the message "Ensure this value has at most N characters";
    the model's `full_clean()` gives the same; the database's check is `text_within`, which
    the model lists in its constraints (a TextField has no length of its own in SQL).
    """
    help_text = (kwargs.pop("help_text", "") + f" Up to {limit:,} characters.").strip()
    return models.TextField(
        verbose_name,
        max_length=limit,
        validators=[MaxLengthValidator(limit)],
        help_text=help_text,
        **kwargs,
    )


def text_within(field: str, limit: int, name: str) -> models.CheckConstraint:
    """Return the database constraint that keeps `field` to at most `limit` characters."""
    return models.CheckConstraint(condition=LessThanOrEqual(Length(field), limit), name=name)
