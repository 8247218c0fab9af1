"""Reads of crime figures shaped for pages."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from statistics import fmean

from crime_stats.models import ALL_CRIME, ComparisonGroup, CrimeFigure, ReportingPeriod


@dataclass(frozen=True)
class PlanTable:
    """The plan's comparison table: one row per member CSP, one column per period."""

    group: ComparisonGroup
    periods: list[ReportingPeriod]
    rows: list[tuple[str, bool, list[Decimal | None]]]  # (CSP label, is focus, rates)
    msg_averages: list[float | None]


def plan_table(group: ComparisonGroup | None = None, category: str = ALL_CRIME) -> PlanTable | None:
    """Return the group's figures for every period of the latest span, or None with no data."""
    group = group or ComparisonGroup.objects.select_related("focus").first()
    if group is None:
        return None
    latest = ReportingPeriod.objects.filter(figures__category=category).order_by("-end").first()
    if latest is None:
        return None
    periods = [
        p
        for p in ReportingPeriod.objects.filter(figures__category=category).distinct()
        if p.span == latest.span
    ]
    figures = CrimeFigure.objects.filter(
        period__in=periods, category=category, csp__memberships__group=group
    ).select_related("csp")
    rates = {(f.csp_id, f.period_id): f.rate for f in figures}
    members = sorted({f.csp for f in figures}, key=lambda csp: csp.label)
    rows = [
        (csp.label, csp.pk == group.focus_id, [rates.get((csp.pk, p.pk)) for p in periods])
        for csp in members
    ]
    averages = []
    for column, _period in enumerate(periods):
        values = [row[2][column] for row in rows if row[2][column] is not None]
        averages.append(fmean(values) if values else None)
    return PlanTable(group=group, periods=periods, rows=rows, msg_averages=averages)
