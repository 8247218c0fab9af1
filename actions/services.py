"""Writes on actions: create and edit them (with a version check), and log progress.

Each function is keyword-only, runs in one transaction and calls `full_clean()` before saving.
The messages users see are module constants, so the tests assert the very words.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.roles import AnyUser
from actions.models import Action, ClosedPeriod, ProgressUpdate
from priorities.models import CrossCuttingTheme, WorkStream
from priorities.versions import ConcurrentEditError, concurrent_edit_message

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
TITLE_TAKEN = (
    "Another action of this work-stream is already called “{title}” (it was saved while you "
    "were typing): choose another title, or edit that one."
)
SENT_TWICE = (
    "The progress form on “{title}” was sent twice; the update is logged once, as shown below."
)
FORM_REUSED = (
    "This progress form was already used for another update. Open Log progress again to "
    "start a new one; nothing you typed here has been saved."
)
ALREADY_CORRECTED = (
    "The update of {day} has already been corrected: correct its latest correction instead."
)


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
    try:
        with transaction.atomic():
            action.save()
    except IntegrityError as clash:
        # The uniqueness check above passed, then another request saved the same title.
        if Action.objects.filter(work_stream=work_stream, title=action.title).exists():
            raise ValidationError({"title": TITLE_TAKEN.format(title=action.title)}) from clash
        raise
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
    submission_key: uuid.UUID | None = None,
    today: datetime.date | None = None,
) -> ProgressUpdate:
    """Return a new progress update; refuse a future date, a closed period or a bad correction.

    A correction must carry the date of the update it corrects, so it replaces that update in
    the same reporting period and financial year and never becomes a newer "current status".
    A `submission_key` already stored (the same form sent twice) returns the update it stored
    instead of a second one; check `update.submission_key_reused`.
    """
    if submission_key is not None:
        earlier = _submitted_before(submission_key, action=action, author=author)
        if earlier is not None:
            return earlier
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
        submission_key=submission_key,
    )
    # The key's uniqueness is the database's to decide, at the moment of the insert.
    update.full_clean(exclude=["submission_key"])
    try:
        with transaction.atomic():
            update.save()
    except IntegrityError:
        # The same form, sent again before the first save committed, lost the race: the first
        # one's update stands. Anything else is a real error.
        earlier = submission_key and _submitted_before(submission_key, action=action, author=author)
        if not earlier:
            raise
        return earlier
    update.submission_key_reused = False
    return update


def _submitted_before(
    submission_key: uuid.UUID, *, action: Action, author: AnyUser
) -> ProgressUpdate | None:
    """Return the update an earlier sending of the same form stored, or None.

    A key stored for another action or person is a form used twice on purpose: refused.
    """
    earlier = ProgressUpdate.objects.filter(submission_key=submission_key).first()
    if earlier is None:
        return None
    if (earlier.action_id, earlier.author_id) != (action.pk, author.pk):
        raise ValidationError(FORM_REUSED)
    earlier.submission_key_reused = True
    return earlier
