"""Writes on work-streams: the work-stream and its funding allocations in one transaction.

An edit is version-checked as actions' edits are (`actions.services.action_update`): a save
from a form loaded before someone else's save is refused, saying who changed what.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.roles import AnyUser
from lib.financial_year import financial_year_label
from priorities.models import FundingAllocation, WorkStream

CONCURRENT_EDIT = (
    "{who} changed this work-stream at {when} while you were editing it ({changes}). "
    "Nothing you typed has been saved: it is still in the form below. Check it against the "
    "current values and save again to keep your version."
)
NAME_TAKEN = (
    "Another work-stream of this priority is already called “{name}” (it was saved while you "
    "were typing): choose another name, or edit that one."
)


class ConcurrentEditError(Exception):
    """Raised when a work-stream changed since the editor loaded it; carries the current one."""

    def __init__(self, message: str, current: WorkStream) -> None:
        super().__init__(message)
        self.message = message
        self.current = current


@transaction.atomic
def work_stream_save(
    *,
    work_stream: WorkStream,
    editor: AnyUser,
    allocations: Mapping[int, Decimal | None],
    edited_version: int | None = None,
) -> WorkStream:
    """Return the work-stream saved with exactly the given allocation per financial year.

    A year given None loses its allocation; the audit trail records `editor` for every change.
    Editing an existing work-stream names the `edited_version` the form was loaded at; as for
    actions, one conditional UPDATE (`… WHERE version = n`) lets only the first of two editors
    of version n through, and the second gets ConcurrentEditError. A create that loses a race
    for the same name gets the name's ValidationError, not a server error.
    """
    if work_stream.pk is not None:
        edited_version = edited_version or 0
        bumped = WorkStream.objects.filter(pk=work_stream.pk, version=edited_version).update(
            version=F("version") + 1
        )
        if not bumped:
            current = WorkStream.objects.get(pk=work_stream.pk)
            raise ConcurrentEditError(concurrent_edit_message(current, edited_version), current)
        work_stream.version = edited_version + 1
    work_stream.full_clean()
    work_stream._history_user = editor
    try:
        with transaction.atomic():
            work_stream.save()
    except IntegrityError as clash:
        # The uniqueness check above passed, then another request saved the same name.
        if WorkStream.objects.filter(
            priority=work_stream.priority_id, name=work_stream.name
        ).exists():
            raise ValidationError({"name": NAME_TAKEN.format(name=work_stream.name)}) from clash
        raise
    existing = {a.financial_year: a for a in work_stream.allocations.all()}
    for year, amount in allocations.items():
        allocation = existing.get(year)
        if amount is None:
            if allocation is not None:
                allocation._history_user = editor
                allocation.delete()
            continue
        if allocation is None:
            allocation = FundingAllocation(work_stream=work_stream, financial_year=year)
        elif allocation.amount == amount:
            continue
        allocation.amount = amount
        allocation.full_clean()
        allocation._history_user = editor
        allocation.save()
    return work_stream


def concurrent_edit_message(current: WorkStream, edited_version: int) -> str:
    """Return who changed the work-stream since `edited_version`, when, and what."""
    history = current.history.order_by("history_date")
    records = list(history.filter(version__gt=edited_version))
    base = history.filter(version=edited_version).last()
    latest = history.last()
    names: list[str] = []
    if latest is not None and base is not None:
        for change in latest.diff_against(base).changes:
            if change.field != "version":
                names.append(str(WorkStream._meta.get_field(change.field).verbose_name))
        funding = FundingAllocation.history.filter(
            work_stream_id=current.pk, history_date__gt=base.history_date
        )
        years = sorted(set(funding.values_list("financial_year", flat=True)))
        names += [f"SLP funding {financial_year_label(year)}" for year in years]
    editors = {
        str(r.history_user.get_full_name() or r.history_user) for r in records if r.history_user
    }
    who = " and ".join(sorted(editors)) or "Someone"
    when = timezone.localtime(latest.history_date) if latest else timezone.localtime()
    changes = "changed: " + ", ".join(names) if names else "no field values differ"
    return CONCURRENT_EDIT.format(who=who, when=f"{when:%H:%M on %-d %b %Y}", changes=changes)
