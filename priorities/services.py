"""Writes on work-streams: the work-stream and its funding allocations in one transaction.

An edit is version-checked as actions' edits are (`priorities.versions`): a save
from a form loaded before someone else's save is refused, saying who changed what.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F

from accounts.roles import AnyUser
from lib.financial_year import financial_year_label
from priorities.models import FundingAllocation, WorkStream
from priorities.versions import ConcurrentEditError, concurrent_edit_message

NAME_TAKEN = (
    "Another work-stream of this priority is already called “{name}” (it was saved while you "
    "were typing): choose another name, or edit that one."
)


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
            message = concurrent_edit_message(
                current,
                edited_version,
                also_changed=_funding_changed_since(current, edited_version),
            )
            raise ConcurrentEditError(message, current)
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


def _funding_changed_since(current: WorkStream, edited_version: int) -> list[str]:
    """Return the funding years changed since the work-stream's `edited_version` was saved."""
    base = current.history.filter(version=edited_version).order_by("-history_date").first()
    if base is None:
        return []
    funding = FundingAllocation.history.filter(
        work_stream_id=current.pk, history_date__gt=base.history_date
    )
    years = sorted(set(funding.values_list("financial_year", flat=True)))
    return [f"SLP funding {financial_year_label(year)}" for year in years]
