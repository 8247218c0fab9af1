"""An action's audit trail from django-simple-history: who changed which fields, and when."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from actions.models import Action
from priorities.models import CrossCuttingTheme

HIDDEN_FIELDS = {"version", "updated_at", "created_at"}


@dataclass
class AuditEntry:
    """One save of an action: who made it, when, and each changed field's old and new value."""

    who: str
    when: datetime.datetime
    kind: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)


def _show(value: object) -> str:
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, datetime.date):
        return f"{value:%-d %b %Y}"
    if isinstance(value, list):  # many-to-many: a list of through-row dicts
        return ", ".join(sorted(str(v) for v in value)) or "(none)"
    return str(value)


def audit_trail(action: Action) -> list[AuditEntry]:
    """Return the action's saves, newest first, each with the fields it changed."""
    records = list(action.history.select_related("history_user").order_by("history_date"))
    entries: list[AuditEntry] = []
    previous = None
    for record in records:
        user = record.history_user
        entry = AuditEntry(
            who=(user.get_full_name() or user.username) if user else "System (data load)",
            when=record.history_date,
            kind={"+": "Created", "~": "Changed", "-": "Deleted"}[record.history_type],
        )
        if previous is not None:
            delta = record.diff_against(previous, foreign_keys_are_objs=True)
            for change in delta.changes:
                if change.field in HIDDEN_FIELDS:
                    continue
                label = str(Action._meta.get_field(change.field).verbose_name).capitalize()
                old, new = change.old, change.new
                if change.field == "themes":
                    old = [_theme_name(row) for row in old]
                    new = [_theme_name(row) for row in new]
                entry.changes.append((label, _show(old), _show(new)))
        if previous is None or entry.changes:
            entries.append(entry)
        previous = record
    return list(reversed(entries))


def _theme_name(row: dict) -> str:
    theme = row.get("crosscuttingtheme")
    if isinstance(theme, CrossCuttingTheme):
        return theme.name
    return str(CrossCuttingTheme.objects.filter(pk=theme).values_list("name", flat=True).first())
