"""Spend against funding: each work-stream's SLP allocation per financial year and its spend.

`funding_lines` fetches (two queries whatever the number of work-streams); `combine` is the
pure calculation, tested without the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from actions.models import ProgressUpdate
from lib.financial_year import financial_year_label
from priorities.models import FundingAllocation, WorkStream

Key = tuple[int, int]  # (work-stream id, first year of the financial year)


@dataclass(frozen=True)
class FundingLine:
    """One work-stream's allocation and spend in one financial year."""

    work_stream_id: int
    financial_year: int
    allocation: Decimal | None
    spend: Decimal

    @property
    def label(self) -> str:
        """Return the financial year as `2019/20`."""
        return financial_year_label(self.financial_year)

    @property
    def remaining(self) -> Decimal | None:
        """Return the allocation left (negative when overspent), or None without an allocation."""
        return None if self.allocation is None else self.allocation - self.spend

    @property
    def overspent(self) -> bool:
        """Return True when spend exceeds the allocation (any spend counts without one)."""
        return self.spend > (self.allocation or Decimal(0))

    @property
    def percent_spent(self) -> int | None:
        """Return spend as a whole percentage of the allocation, or None when there is none."""
        if not self.allocation:
            return None
        return round(self.spend * 100 / self.allocation)


def combine(allocations: Mapping[Key, Decimal], spend: Mapping[Key, Decimal]) -> list[FundingLine]:
    """Return one line per (work-stream, year) that has an allocation or spend, in key order."""
    return [
        FundingLine(
            work_stream_id=key[0],
            financial_year=key[1],
            allocation=allocations.get(key),
            spend=spend.get(key, Decimal(0)),
        )
        for key in sorted(set(allocations) | set(spend))
    ]


def funding_lines(work_streams: Iterable[WorkStream]) -> dict[int, list[FundingLine]]:
    """Return each work-stream's funding lines keyed by its id (in two queries)."""
    ids = [ws.pk for ws in work_streams]
    allocations = {
        (a.work_stream_id, a.financial_year): a.amount
        for a in FundingAllocation.objects.filter(work_stream_id__in=ids)
    }
    spend = ProgressUpdate.objects.filter(
        action__work_stream_id__in=ids
    ).spend_by_work_stream_and_year()
    lines: dict[int, list[FundingLine]] = {pk: [] for pk in ids}
    for line in combine(allocations, spend):
        lines[line.work_stream_id].append(line)
    return lines
