"""Writes on actions: create and edit them (with a version check), and log progress.

Each function is keyword-only, runs in one transaction and calls `full_clean()` before saving.
The messages users see are module constants, so the tests assert the very words.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.roles import AnyUser
from actions.models import Action, ClosedPeriod, ProgressUpdate
from priorities.models import CrossCuttingTheme, WorkStream

CONCURRENT_EDIT = (
    "{who} changed this action at {when} while you were editing it ({changes}). "
    "Nothing you typed has been saved: it is still in the form below. Check it against the "
    "current values and save again to keep your version."
)
PERIOD_CLOSED = (
    "Progress dated {day} cannot be logged: {period} is closed for reporting. "
    "Ask an Admin to reopen it if this update must be added."
)
CORRECTION_IN_CLOSED_PERIOD = (
    "The update you are correcting is dated {day}, in a period closed for reporting "
    "({period}). Ask an Admin to reopen it first."
)
FUTURE_DATE = "The date of an update cannot be later than today ({today})."
CORRECTS_OTHER_ACTION = "An update can only correct an earlier update of the same action."
CORRECTION_DATE = (
    "A correction keeps the date of the update it corrects: set the date to {day}. "
    "To report something that happened later, log a new update instead."
)
ALREADY_CORRECTED = (
    "The update of {day} has already been corrected: correct its latest correction instead."
)


class ConcurrentEditError(Exception):
    """Raised when an action changed since the editor loaded it; carries the current action."""

    def __init__(self, message: str, current: Action) -> None:
        super().__init__(message)
        self.message = message
        self.current = current


def _uk_date(day: datetime.date) -> str:
    return f"{day:%-d %b %Y}"


@transaction.atomic
def action_create(
    *,
    work_stream: WorkStream,
    author: AnyUser,
    values: Mapping[str, Any],
    themes: Iterable[CrossCuttingTheme] = (),
) -> Action:
    """Return a new SMART action under `work_stream`, recorded in the audit trail as `author`'s."""
    action = Action(work_stream=work_stream, **values)
    action.full_clean()
    action._history_user = author
    action.save()
    action.themes.set(themes)
    return action


@transaction.atomic
def action_update(
    *,
    action: Action,
    editor: AnyUser,
    edited_version: int,
    values: Mapping[str, Any],
    themes: Iterable[CrossCuttingTheme],
) -> Action:
    """Return the action saved with `values`, or raise ConcurrentEditError if it moved on.

    The version check is one conditional UPDATE (`… WHERE version = n`): of two editors who
    loaded version n, only the first matches a row; PostgreSQL re-reads the row after the first
    commits, and SQLite writes one transaction at a time, so the second always matches none.
    """
    bumped = Action.objects.filter(pk=action.pk, version=edited_version).update(
        version=F("version") + 1
    )
    if not bumped:
        check_edited_version(action=action, edited_version=edited_version)
    for name, value in values.items():
        setattr(action, name, value)
    action.version = edited_version + 1
    action.full_clean()
    # One audit record per save: the themes are set quietly, then saved with the fields.
    action.skip_history_when_saving = True
    try:
        action.themes.set(themes)
    finally:
        del action.skip_history_when_saving
    action._history_user = editor
    action.save()
    return action


def check_edited_version(*, action: Action, edited_version: int) -> None:
    """Raise ConcurrentEditError if the stored action is no longer at `edited_version`.

    Only reads: forms call it to refuse early and keep what was typed; `action_update`'s
    conditional UPDATE is what makes the refusal safe when two saves race.
    """
    current = Action.objects.get(pk=action.pk)
    if current.version != edited_version:
        raise ConcurrentEditError(concurrent_edit_message(current, edited_version), current)


def concurrent_edit_message(current: Action, edited_version: int) -> str:
    """Return who changed the action since `edited_version`, when, and which fields."""
    records = list(current.history.filter(version__gt=edited_version).order_by("history_date"))
    base = current.history.filter(version=edited_version).order_by("-history_date").first()
    latest = current.history.order_by("-history_date").first()
    names: list[str] = []
    if latest is not None and base is not None:
        for change in latest.diff_against(base).changes:
            if change.field in {"version", "updated_at"}:
                continue
            names.append(str(Action._meta.get_field(change.field).verbose_name))
    editors = {
        str(r.history_user.get_full_name() or r.history_user) for r in records if r.history_user
    }
    who = " and ".join(sorted(editors)) or "Someone"
    when = timezone.localtime(latest.history_date) if latest else timezone.localtime()
    changes = "changed: " + ", ".join(names) if names else "no field values differ"
    return CONCURRENT_EDIT.format(who=who, when=f"{when:%H:%M on %-d %b %Y}", changes=changes)


@transaction.atomic
def progress_update_create(
    *,
    action: Action,
    author: AnyUser,
    reported_on: datetime.date,
    status: str,
    narrative: str,
    spend: Decimal = Decimal(0),
    indicator_value: Decimal | None = None,
    next_steps: str = "",
    corrects: ProgressUpdate | None = None,
    today: datetime.date | None = None,
) -> ProgressUpdate:
    """Return a new progress update; refuse a future date, a closed period or a bad correction.

    A correction must carry the date of the update it corrects, so it replaces that update in
    the same reporting period and financial year and never becomes a newer "current status".
    """
    today = today or timezone.localdate()
    if reported_on > today:
        raise ValidationError({"reported_on": FUTURE_DATE.format(today=_uk_date(today))})
    if corrects is not None:
        # Lock the corrected update so two simultaneous corrections cannot both pass the check.
        corrects = ProgressUpdate.objects.select_for_update().get(pk=corrects.pk)
        if corrects.action_id != action.pk:
            raise ValidationError({"corrects": CORRECTS_OTHER_ACTION})
        if corrects.corrections.exists():
            raise ValidationError(
                {"corrects": ALREADY_CORRECTED.format(day=_uk_date(corrects.reported_on))}
            )
        closed = ClosedPeriod.objects.containing(corrects.reported_on).first()
        if closed is not None:
            raise ValidationError(
                {
                    "corrects": CORRECTION_IN_CLOSED_PERIOD.format(
                        day=_uk_date(corrects.reported_on), period=closed
                    )
                }
            )
        # A correction replaces the update in the same period: another date would move its
        # spend to another financial year and could make it the action's latest status.
        if reported_on != corrects.reported_on:
            raise ValidationError(
                {"reported_on": CORRECTION_DATE.format(day=_uk_date(corrects.reported_on))}
            )
    closed = ClosedPeriod.objects.containing(reported_on).first()
    if closed is not None:
        raise ValidationError(
            {"reported_on": PERIOD_CLOSED.format(day=_uk_date(reported_on), period=closed)}
        )
    update = ProgressUpdate(
        action=action,
        author=author,
        reported_on=reported_on,
        status=status,
        narrative=narrative,
        spend=spend,
        indicator_value=indicator_value,
        next_steps=next_steps,
        corrects=corrects,
    )
    update.full_clean()
    update.save()
    return update
