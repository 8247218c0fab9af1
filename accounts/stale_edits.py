"""Django admin forms that refuse a save over a change made since the form was loaded.

Actions and work-streams carry a version number (their services check it). Every other object
an Admin edits in the Django admin is checked the same way without a column of its own: the
form carries a signed copy of the values it was loaded with, and the save is refused, naming
who changed which fields, when the row (locked for the save) no longer holds them. What was
typed stays in the form; saving again is a deliberate overwrite of the values now shown.
"""

from __future__ import annotations

import datetime

from django import forms
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

LOADED_VALUES = "loaded_values"
SALT = "accounts.stale_edits"
STALE_EDIT = (
    "{who} changed this {noun} at {when} while you were editing it (changed: {changes}). "
    "Nothing you typed has been saved: it is still in the form below. Check it against the "
    "current values and save again to keep your version."
)


def stored_values(instance: models.Model) -> dict[str, str]:
    """Return the instance's column values as text, keyed by field name (the key excluded)."""
    return {
        field.name: str(field.value_from_object(instance))
        for field in instance._meta.concrete_fields
        if not field.primary_key
    }


def _last_change(instance: models.Model) -> tuple[str, datetime.datetime | None]:
    """Return who made the latest recorded change to the instance, and when.

    The admin's log records changes made in the admin; an audit trail (simple_history)
    records those made through the portal's pages.
    """
    changes: list[tuple[datetime.datetime, object]] = []
    entry = (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(instance),
            object_id=str(instance.pk),
        )
        .select_related("user")
        .order_by("-action_time")
        .first()
    )
    if entry is not None:
        changes.append((entry.action_time, entry.user))
    history = getattr(instance, "history", None)
    record = history.order_by("-history_date").first() if history is not None else None
    if record is not None and record.history_user is not None:
        changes.append((record.history_date, record.history_user))
    if not changes:
        return "Someone", None
    when, user = max(changes, key=lambda change: change[0])
    return str(user.get_full_name() or user), when


class StaleEditRefusingForm(forms.ModelForm):
    """A ModelForm (the admin's base form) that refuses to save over a newer change."""

    loaded_values = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            self.initial[LOADED_VALUES] = signing.dumps(stored_values(self.instance), salt=SALT)

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.instance.pk is None or self.instance._state.adding:
            return cleaned
        if self.prefix and not self.has_changed():
            return cleaned  # an inline row left as it was is not saved, so it overwrites nothing
        if self.add_prefix(LOADED_VALUES) not in self.data:
            # A form that never showed the field (the change list's editable columns) has
            # nothing to compare with.
            return cleaned
        try:
            loaded = signing.loads(cleaned.get(LOADED_VALUES) or "", salt=SALT)
        except signing.BadSignature:
            loaded = {}
        # The admin saves in one transaction: the lock holds the row until this save commits.
        current = type(self.instance)._default_manager.select_for_update().get(pk=self.instance.pk)
        now = stored_values(current)
        if loaded == now:
            return cleaned
        meta = current._meta
        changed = [
            str(meta.get_field(name).verbose_name)
            for name, value in now.items()
            if loaded.get(name) != value
        ]
        # Keep what was typed; the next save goes over the values now stored.
        self.data = self.data.copy()
        self.data[self.add_prefix(LOADED_VALUES)] = signing.dumps(now, salt=SALT)
        who, when = _last_change(current)
        when = timezone.localtime(when) if when else timezone.localtime()
        raise ValidationError(
            STALE_EDIT.format(
                who=who,
                noun=meta.verbose_name,
                when=f"{when:%H:%M on %-d %b %Y}",
                changes=", ".join(changed),
            )
        )
