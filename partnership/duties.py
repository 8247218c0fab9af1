"""Reads of the duties register: what is overdue and what falls due soon, as one user sees it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from accounts.roles import AnyUser
from partnership.models import DutyOccurrence

HORIZON_DAYS = 90


@dataclass(frozen=True)
class DutiesDue:
    """The open duty occurrences overdue on `today` and those due in the next `days` days."""

    today: datetime.date
    days: int
    overdue: list[DutyOccurrence]
    due: list[DutyOccurrence]


def duties_due(user: AnyUser, today: datetime.date, days: int = HORIZON_DAYS) -> DutiesDue:
    """Return what is overdue and what is due within `days` of `today`, in two queries."""
    visible = DutyOccurrence.objects.visible_to(user).for_listing()
    return DutiesDue(
        today=today,
        days=days,
        overdue=list(visible.overdue(today)),
        due=list(visible.due_within(today, days)),
    )
