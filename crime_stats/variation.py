"""Variation over time: the focus CSP's quarterly rates as an XmR chart, with the special-cause
rules of NHS England's "Making Data Count" said in words (crime_stats.statistics.xmr).

A quarter is a period of three calendar months starting in January, April, July or October.
Quarters are compared in time order whatever their season: the chart shows the process, and
the comparison table compares each quarter with the same quarter a year before.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from crime_stats.display import shown
from crime_stats.models import CSP, CrimeFigure, ReportingPeriod

# The mean and limits come from every quarter before the latest (the baseline), and the latest
# is judged against them; fewer than six baseline quarters draw no chart.
MIN_POINTS = 7
# NHSRplotthedots warns when limits rest on fewer than 12 points (ptd_add_short_group_warnings).
SHORT_SERIES = 12


def is_quarter(period: ReportingPeriod) -> bool:
    """Return True for a calendar quarter: the 1st of Jan/Apr/Jul/Oct to three months on."""
    return (
        period.start.day == 1
        and period.start.month in (1, 4, 7, 10)
        and period.end == period.start + relativedelta(months=3, days=-1)
    )


@dataclass(frozen=True)
class SpcPoint:
    """One quarter on the chart: its period, stored rate and the rules that flag it."""

    period: ReportingPeriod
    rate: Decimal
    outside: bool
    shift: bool
    trend: bool
    near_limits: bool
    label: str = ""  # the rate as the page's comparison table writes it, where it shows it

    @property
    def text(self) -> str:
        """Return the rate as written: the comparison table's string, or shown to its places."""
        return self.label or shown(self.rate)

    @property
    def flags(self) -> list[str]:
        """Return the special causes that flag this quarter, in words."""
        return [
            words
            for flagged, words in (
                (self.outside, "outside the limits"),
                (self.shift, "shift: 7+ on one side"),
                (self.trend, "trend: 7+ rising or falling"),
                (self.near_limits, "2 of 3 near a limit"),
            )
            if flagged
        ]


@dataclass(frozen=True)
class Spc:
    """The focus CSP's XmR chart: points, mean, limits and what the rules found, in words."""

    csp: str
    category: str
    points: list[SpcPoint]
    mean: Decimal
    lower: Decimal
    upper: Decimal
    mean_moving_range: Decimal

    @property
    def baseline(self) -> int:
        """Return how many quarters the mean and limits come from: all but the latest."""
        return len(self.points) - 1

    @property
    def short(self) -> bool:
        """Return True when the limits rest on fewer than 12 quarters."""
        return self.baseline < SHORT_SERIES

    @property
    def findings(self) -> list[str]:
        """Return what the rules found, one sentence each, or that nothing stands out."""
        sentences = []
        for point in self.points:
            if point.outside:
                side = "above the upper" if point.rate > self.upper else "below the lower"
                sentences.append(
                    f"{point.period.label} ({point.text}) is {side} process limit "
                    f"({shown(self.upper if point.rate > self.upper else self.lower)}): "
                    "a real change, not noise."
                )
        for rule, words in (
            ("shift", "quarters in a row on the same side of the mean: a sustained shift"),
            ("trend", "quarters in a row each {} than the one before: a trend"),
            ("near_limits", "quarters with two of three close to a process limit"),
        ):
            for first, last in _runs([getattr(p, rule) for p in self.points]):
                count = last - first + 1
                text = words
                if rule == "trend":
                    rising = self.points[last].rate > self.points[first].rate
                    text = words.format("higher" if rising else "lower")
                sentences.append(
                    f"{self.points[first].period.label} to {self.points[last].period.label}: "
                    f"{count} {text}."
                )
        if not sentences:
            sentences.append(
                "Every quarter lies within the process limits and no run or trend stands out: "
                "the ups and downs are common-cause variation (noise), not a real change."
            )
        return sentences

    @property
    def latest(self) -> str:
        """Return one sentence on the latest quarter for the narrative."""
        point = self.points[-1]
        if point.outside:
            side = "above" if point.rate > self.upper else "below"
            return (
                f"The latest quarter ({point.period.label}, {point.text}) is {side} the "
                f"usual range ({shown(self.lower)} to {shown(self.upper)}): a real change, not "
                "noise."
            )
        if point.flags:
            return (
                f"The latest quarter ({point.period.label}, {point.text}) is within the "
                f"usual range but {', '.join(point.flags)}: a signal of real change."
            )
        return (
            f"The latest quarter ({point.period.label}, {point.text}) is within the "
            f"usual range ({shown(self.lower)} to {shown(self.upper)}): no sign of a real "
            "change."
        )


def focus_spc(
    csp: CSP, category: str, up_to: datetime.date, *, shown_as: dict[int, str] | None = None
) -> Spc | None:
    """Return the XmR chart of the CSP's quarterly rates ending on or before `up_to`, or None
    with fewer than seven quarters. `shown_as` maps a period's id to the string the page's
    comparison table writes for that rate, so the two agree. One query."""
    figures = (
        CrimeFigure.objects.filter(csp=csp, category=category, period__end__lte=up_to)
        .select_related("period")
        .order_by("period__start")
    )
    quarters = [(f.period, f.rate) for f in figures if is_quarter(f.period)]
    return spc_of(csp.label, category, quarters, shown_as=shown_as)


def spc_of(
    name: str,
    category: str,
    quarters: list[tuple[ReportingPeriod, Decimal]],
    *,
    shown_as: dict[int, str] | None = None,
) -> Spc | None:
    """Return the XmR chart of `quarters` ((period, value), oldest first), or None with fewer
    than seven. A period needs only `pk`, `label`, `start` and `end`, so an outcome indicator's
    quarterly values (partnership.outcomes) are judged by exactly these rules and words."""
    if len(quarters) < MIN_POINTS:
        return None
    from crime_stats import statistics  # scipy's import is paid only where it is used
    from crime_stats.uncertainty import decimal

    chart = statistics.xmr([float(rate) for _, rate in quarters], baseline=len(quarters) - 1)
    points = [
        SpcPoint(
            period=period,
            rate=rate,
            outside=bool(chart.outside[i]),
            shift=bool(chart.shift[i]),
            trend=bool(chart.trend[i]),
            near_limits=bool(chart.near_limits[i]),
            label=(shown_as or {}).get(period.pk, ""),
        )
        for i, (period, rate) in enumerate(quarters)
    ]
    return Spc(
        csp=name,
        category=category,
        points=points,
        mean=decimal(chart.mean),
        lower=decimal(chart.lower),
        upper=decimal(chart.upper),
        mean_moving_range=decimal(chart.mean_moving_range),
    )


def _runs(flags: list[bool]) -> list[tuple[int, int]]:
    """Return (first, last) index of each run of True."""
    runs, start = [], None
    for index, flag in enumerate([*flags, False]):
        if flag and start is None:
            start = index
        elif not flag and start is not None:
            runs.append((start, index - 1))
            start = None
    return runs
