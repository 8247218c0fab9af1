"""Optimistic concurrency for what the portal's pages edit (actions and work-streams).

Each such model has a `version` column and an audit trail (simple_history). An edit names the
version its form was loaded at; the service's conditional UPDATE (`… WHERE version = n`) lets
only the first of two editors of version n through, and the second gets ConcurrentEditError
with a message saying who changed which fields. (Objects edited only in the Django admin are
checked by `accounts.stale_edits` instead, without a column.)
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import models
from django.utils import timezone

CONCURRENT_EDIT = (
    "{who} changed this {noun} at {when} while you were editing it ({changes}). "
    "Nothing you typed has been saved: it is still in the form below. Check it against the "
    "current values and save again to keep your version."
)
# Bookkeeping columns that every save changes: never named as "changed".
UNNAMED_FIELDS = {"version", "updated_at"}


class ConcurrentEditError(Exception):
    """Raised when an object changed since the editor loaded it; carries the current object."""

    def __init__(self, message: str, current: models.Model) -> None:
        super().__init__(message)
        self.message = message
        self.current = current


def concurrent_edit_message(
    current: models.Model, edited_version: int, *, also_changed: Sequence[str] = ()
) -> str:
    """Return who changed `current` since `edited_version`, when, and which fields.

    `also_changed` names changes the object's own audit trail does not hold (a work-stream's
    funding lives in its allocations' trail).
    """
    records = list(current.history.filter(version__gt=edited_version).order_by("history_date"))
    base = current.history.filter(version=edited_version).order_by("-history_date").first()
    latest = current.history.order_by("-history_date").first()
    names: list[str] = []
    if latest is not None and base is not None:
        for change in latest.diff_against(base).changes:
            if change.field not in UNNAMED_FIELDS:
                names.append(str(current._meta.get_field(change.field).verbose_name))
    names += also_changed
    editors = {
        str(r.history_user.get_full_name() or r.history_user) for r in records if r.history_user
    }
    who = " and ".join(sorted(editors)) or "Someone"
    when = timezone.localtime(latest.history_date) if latest else timezone.localtime()
    changes = "changed: " + ", ".join(names) if names else "no field values differ"
    return CONCURRENT_EDIT.format(
        who=who,
        noun=current._meta.verbose_name,
        when=f"{when:%H:%M on %-d %b %Y}",
        changes=changes,
    )
