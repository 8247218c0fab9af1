"""Writes on work-streams: the work-stream and its funding allocations in one transaction."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction

from accounts.roles import AnyUser
from priorities.models import FundingAllocation, WorkStream


@transaction.atomic
def work_stream_save(
    *, work_stream: WorkStream, editor: AnyUser, allocations: Mapping[int, Decimal | None]
) -> WorkStream:
    """Return the work-stream saved with exactly the given allocation per financial year.

    A year given None loses its allocation; the audit trail records `editor` for every change.
    """
    work_stream.full_clean()
    work_stream._history_user = editor
    work_stream.save()
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
