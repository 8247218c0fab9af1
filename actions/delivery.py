"""How delivery of each priority is going: actions by RAG status, overdue, spend and funding.

`delivery_by_priority` fetches in a fixed number of queries whatever the number of actions;
`PriorityDelivery` holds the plain figures the dashboard, the board pack and their tables show.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Sum

from accounts.roles import can_read_everything
from actions.models import Action, ProgressUpdate, RagStatus, readable_priorities
from lib.financial_year import financial_year_bounds
from priorities.models import FundingAllocation, PlanVersion, Priority

NO_UPDATE = ""  # an action's status before its first update
STATUS_ORDER = [
    RagStatus.RED,
    RagStatus.AMBER,
    RagStatus.GREEN,
    RagStatus.COMPLETE,
    RagStatus.NOT_STARTED,
    NO_UPDATE,
]
STATUS_LABELS = {**dict(RagStatus.choices), NO_UPDATE: "No update yet"}


@dataclass(frozen=True)
class PriorityDelivery:
    """One priority's actions by current status, how many are overdue, and its money."""

    priority: Priority
    statuses: Counter = field(default_factory=Counter)
    overdue: int = 0
    allocation: Decimal = Decimal(0)
    spend: Decimal = Decimal(0)

    @property
    def tracker_query(self) -> str:
        """Return the action tracker's query string for this priority's actions."""
        return f"?version={self.priority.version_id}&priority={self.priority.pk}"

    @property
    def total(self) -> int:
        """Return how many actions the priority has."""
        return sum(self.statuses.values())

    @property
    def by_status(self) -> list[tuple[str, str, int]]:
        """Return (status, label, count) for every status, worst first."""
        return [(status, STATUS_LABELS[status], self.statuses[status]) for status in STATUS_ORDER]

    @property
    def overspent(self) -> bool:
        """Return True when spend exceeds the allocation."""
        return self.spend > self.allocation

    @property
    def percent_spent(self) -> int | None:
        """Return spend as a whole percentage of the allocation, or None without one."""
        return round(self.spend * 100 / self.allocation) if self.allocation else None


@dataclass(frozen=True)
class VersionDelivery:
    """A plan version's delivery by priority as one user sees it, with its chart if shown."""

    version: PlanVersion
    rows: list[PriorityDelivery]
    chart: dict | None = None


def delivery_by_priority(
    *, version: PlanVersion, user: AbstractBaseUser, today: datetime.date
) -> list[PriorityDelivery]:
    """Return each of the version's priorities with the delivery figures the user may see.

    Counts cover only the actions `user` may read. Funding is the work-streams' allocations for
    the version's financial years; spend is the current (uncorrected) spend logged against
    those actions in the same years. Four queries whatever the number of actions.
    """
    priorities = list(readable_priorities(user).filter(version=version).order_by("letter"))
    actions = Action.objects.visible_to(user).in_version(version)
    statuses: dict[int, Counter] = {p.pk: Counter() for p in priorities}
    overdue: Counter = Counter()
    rows = (
        actions.with_overdue_flag(today)
        .values("work_stream__priority_id", "current_status", "overdue")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for row in rows:
        priority_id = row["work_stream__priority_id"]
        statuses[priority_id][row["current_status"]] += row["count"]
        if row["overdue"]:
            overdue[priority_id] += row["count"]
    years = version.financial_years()
    allocations = dict(
        FundingAllocation.objects.filter(
            work_stream__priority__in=[p.pk for p in priorities], financial_year__in=years
        )
        .values_list("work_stream__priority_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    spend = dict(
        ProgressUpdate.objects.current()
        .filter(
            action__in=actions,
            reported_on__gte=financial_year_bounds(years[0])[0],
            reported_on__lt=financial_year_bounds(years[-1])[1],
        )
        .values_list("action__work_stream__priority_id")
        .annotate(total=Sum("spend"))
        .order_by()
    )
    return [
        PriorityDelivery(
            priority=priority,
            statuses=statuses[priority.pk],
            overdue=overdue[priority.pk],
            allocation=allocations.get(priority.pk) or Decimal(0),
            spend=spend.get(priority.pk) or Decimal(0),
        )
        for priority in priorities
    ]


def reader_scope(user: AbstractBaseUser) -> str:
    """Return a key for what the user may read: `all`, or their readable priorities."""
    if can_read_everything(user):
        return "all"
    ids = sorted(readable_priorities(user).values_list("pk", flat=True))
    return "priorities-" + "-".join(str(pk) for pk in ids)
