"""National context: where the focus CSP stands among every CSP of England and Wales with a
figure, and the funnel plot of every CSP's rate against its population.

`national_context` reads one period and category for every CSP in one query and hands plain
arrays to crime_stats.statistics. It returns None unless figures exist for CSPs beyond the
group's members (the plan's data covers the Most Similar Group alone).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from crime_stats.comparison import positions
from crime_stats.display import shown
from crime_stats.models import CrimeFigure, ReportingPeriod

# The funnel's limits are drawn through this many populations between the smallest and the
# largest CSP (on a log scale), so the curves are smooth whatever the number of CSPs.
FUNNEL_STEPS = 80
ADJUSTED = "adjusted"
POISSON = "poisson"
FUNNEL_METHODS = (ADJUSTED, POISSON)


@dataclass(frozen=True)
class NationalPoint:
    """One CSP's figure in the period: label, name, stored rate, offences and population."""

    csp: str
    name: str
    rate: Decimal
    offences: int | None
    population: int | None
    is_focus: bool
    in_group: bool
    label: str = ""  # the rate as the page's comparison table writes it (members only)

    @property
    def text(self) -> str:
        """Return the rate as written: the comparison table's string, or shown to its places."""
        return self.label or shown(self.rate)

    @property
    def has_count(self) -> bool:
        """Return True when the figure came with its offence count and population."""
        return self.offences is not None and bool(self.population)


@dataclass(frozen=True)
class FunnelOutlier:
    """A CSP outside the 99.8% limits: which side, and the limits at its population."""

    point: NationalPoint
    side: str  # "above" or "below"
    lower: Decimal
    upper: Decimal


@dataclass(frozen=True)
class Funnel:
    """The funnel plot's numbers: the national rate, the limits drawn and the outliers."""

    national_rate: Decimal
    method: str  # ADJUSTED or POISSON
    phi: float
    tau2: float
    grid: list[float]  # populations the limit curves pass through
    limits: dict[str, tuple[list[float], list[float]]]  # "95%"/"99.8%" -> (lower, upper)
    outliers: list[FunnelOutlier]
    csps: int

    @property
    def adjusted(self) -> bool:
        """Return True when the limits are widened for over-dispersion."""
        return self.method == ADJUSTED


@dataclass(frozen=True)
class NationalContext:
    """The focus CSP's national position and the funnel of every CSP with a count."""

    period: ReportingPeriod
    category: str
    points: list[NationalPoint]
    position: int | None
    joint: bool
    rank_low: int | None
    rank_high: int | None
    funnel: Funnel | None

    @property
    def ranked(self) -> int:
        """Return the number of CSPs with a figure: the denominator of the national position."""
        return len(self.points)

    @property
    def focus(self) -> NationalPoint | None:
        """Return the focus CSP's point, or None when it has no figure."""
        return next((point for point in self.points if point.is_focus), None)


def national_context(
    *,
    period: ReportingPeriod,
    category: str,
    focus: str,
    members: Mapping[str, str],
    method: str = ADJUSTED,
) -> NationalContext | None:
    """Return the national context of `focus` (a CSP label) in the period and category, or
    None when no CSP outside `members` has a figure. `members` maps each member's label to the
    string its comparison table writes for its rate. One query."""
    rows = CrimeFigure.objects.filter(period=period, category=category).values_list(
        "csp__force", "csp__name", "rate", "offences", "population"
    )
    points = [
        NationalPoint(
            csp=f"{force} - {name}",
            name=name,
            rate=rate,
            offences=offences,
            population=population,
            is_focus=f"{force} - {name}" == focus,
            in_group=f"{force} - {name}" in members,
            label=members.get(f"{force} - {name}", ""),
        )
        for force, name, rate, offences, population in rows
    ]
    if not any(not point.in_group for point in points):
        return None
    ranks = positions({point.csp: point.rate for point in points})
    held = list(ranks.values())
    position = ranks.get(focus)
    rank_low = rank_high = None
    counted = [point for point in points if point.has_count]
    if position is not None and len(counted) == len(points):
        from crime_stats import statistics  # scipy's import is paid only where it is used

        best, worst = statistics.rank_ranges(
            np.array([p.offences for p in counted], dtype=float),
            np.array([p.population for p in counted], dtype=float),
        )
        at = next(i for i, point in enumerate(counted) if point.is_focus)
        rank_low, rank_high = int(best[at]), int(worst[at])
    return NationalContext(
        period=period,
        category=category,
        points=sorted(points, key=lambda point: (-point.rate, point.csp)),
        position=position,
        joint=position is not None and held.count(position) > 1,
        rank_low=rank_low,
        rank_high=rank_high,
        funnel=funnel(counted, method=method) if len(counted) >= 3 else None,
    )


def funnel(points: list[NationalPoint], *, method: str = ADJUSTED) -> Funnel:
    """Return the funnel of the points (each with a count): limits at 95% and 99.8% around the
    pooled national rate, exact Poisson or widened for over-dispersion (Spiegelhalter 2005,
    crime_stats.statistics), and the CSPs outside the 99.8% limits, furthest first."""
    from crime_stats import statistics

    offences = np.array([p.offences for p in points], dtype=float)
    people = np.array([p.population for p in points], dtype=float)
    target = statistics.national_rate(offences, people)
    dispersion = statistics.over_dispersion(offences, people, target)
    tau2 = dispersion.tau2 if method == ADJUSTED else None
    grid = np.geomspace(people.min() * 0.9, people.max() * 1.1, FUNNEL_STEPS)
    limits = {}
    for name, confidence in (("95%", 0.95), ("99.8%", 0.998)):
        low, high = statistics.funnel_limits(grid, target, confidence, tau2=tau2)
        limits[name] = (low.tolist(), high.tolist())
    low, high = statistics.funnel_limits(people, target, 0.998, tau2=tau2)
    rates = offences / people * statistics.PER
    outliers = []
    for i, point in enumerate(points):
        if rates[i] > high[i] or rates[i] < low[i]:
            outliers.append(
                FunnelOutlier(
                    point=point,
                    side="above" if rates[i] > high[i] else "below",
                    lower=_decimal(low[i]),
                    upper=_decimal(high[i]),
                )
            )
    z = statistics.z_scores(offences, people, target)
    order = {point.csp: abs(z[i]) for i, point in enumerate(points)}
    outliers.sort(key=lambda outlier: -order[outlier.point.csp])
    return Funnel(
        national_rate=_decimal(target),
        method=method,
        phi=dispersion.phi,
        tau2=dispersion.tau2,
        grid=grid.tolist(),
        limits=limits,
        outliers=outliers,
        csps=len(points),
    )


def _decimal(value: float) -> Decimal:
    from crime_stats.uncertainty import decimal

    return decimal(value)
