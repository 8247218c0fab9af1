"""Outcome indicators beside the work meant to move them: each indicator's values over time
(crime figures for the focus CSP, or the quarterly values a lead enters), whether the latest
meets its target, which way it moved last, and the crime pages' honesty about it.

Nothing statistical is typed here: a crime indicator's 95% intervals and its test of change are
crime_stats.statistics (through crime_stats.uncertainty's rounding), its quarters' XmR chart is
crime_stats.variation.spc_of (the special-cause rules of "Making Data Count" in the crime
pages' words), and every figure is written by crime_stats.display.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from crime_stats.charts import FONT, plain
from crime_stats.display import NO_FIGURE, places_for, precision, shown
from crime_stats.models import ComparisonGroup, CrimeFigure, ReportingPeriod
from crime_stats.plot import Figure, trace
from crime_stats.selectors import previous_comparable
from crime_stats.variation import MIN_POINTS, Spc, is_quarter, spc_of
from crime_stats.variation_charts import LIMIT_COLOUR, special_cause_markers
from partnership.models import Direction, IndicatorSource, IndicatorValue, OutcomeIndicator
from priorities.models import Priority

SPC_MINIMUM = MIN_POINTS  # the crime pages' minimum: six quarters of baseline and the latest
NO_COUNT = "no interval can be given: these figures were loaded as rates without offence counts"
LOCAL_NO_COUNT = (
    "A local measure entered by its lead has no offence count and no population, so no "
    "interval can be given and no change tested; the process limits, once there are enough "
    "quarters, are the test of real change."
)


@dataclass(frozen=True)
class Quarter:
    """A lead's quarter as the XmR chart reads a period: its label and first and last days."""

    label: str
    start: datetime.date
    end: datetime.date

    @property
    def pk(self) -> int:
        """Return a key unique among one indicator's quarters (the XmR chart's `shown_as`)."""
        return self.end.toordinal()


@dataclass(frozen=True)
class Point:
    """One value of an indicator: its period (a reporting period or a lead's quarter), value,
    the value as written, and, for a crime figure with a count, its 95% interval."""

    period: ReportingPeriod | Quarter
    value: Decimal
    text: str
    offences: int | None = None
    population: int | None = None
    lower: Decimal | None = None
    upper: Decimal | None = None
    interval: str = ""  # "88.3–96.8", exactly as the comparison table writes it

    @property
    def label(self) -> str:
        return self.period.label

    @property
    def ends_on(self) -> datetime.date:
        return self.period.end


@dataclass(frozen=True)
class IndicatorTrend:
    """An indicator with its points (oldest first), XmR chart and what can be said of change."""

    indicator: OutcomeIndicator
    points: list[Point]
    spc: Spc | None = None
    quarters: int = 0  # how many of the points are calendar quarters (the XmR chart's points)
    findings: list[str] = field(default_factory=list)  # the XmR rules' sentences
    limits_text: str = ""  # "20.2 to 50.0 around a mean of 35.1"
    lines: tuple = ()  # the chart's (name, level) of the upper limit, mean and lower limit
    change: str = ""  # the latest value against the previous comparable one, in words
    verdict: str | None = None  # "real rise", "real fall", "no significant change"

    @property
    def latest(self) -> Point | None:
        return self.points[-1] if self.points else None

    @property
    def is_crime(self) -> bool:
        return self.indicator.source == IndicatorSource.CRIME

    @property
    def has_intervals(self) -> bool:
        return any(point.lower is not None for point in self.points)

    @property
    def series(self) -> list[Point]:
        """Return the points comparable with the latest, oldest first: every quarter when the
        latest is a quarter, else every period of the latest's span (April–December …). A
        nine-month rate beside a quarter's would read as a fall of two thirds."""
        latest = self.latest
        if latest is None:
            return []
        if is_quarter(latest.period):
            return [p for p in self.points if is_quarter(p.period)]
        span = (latest.period.start.month, latest.period.end.month)
        return [p for p in self.points if (p.period.start.month, p.period.end.month) == span]

    @property
    def off_chart(self) -> int:
        """Return how many points are of another length of period than the latest's (shown
        in the table, not on the chart)."""
        return len(self.points) - len(self.series)

    @property
    def movement(self) -> str:
        """Return "better", "worse" or "no change" from the previous comparable point to the
        latest (by the indicator's direction), or "" with fewer than two."""
        series = self.series
        if len(series) < 2:
            return ""
        before, after = series[-2].value, series[-1].value
        if after == before:
            return "no change"
        lower = self.indicator.direction == Direction.LOWER
        return "better" if (after < before) == lower else "worse"

    @property
    def meets_target(self) -> bool | None:
        """Return whether the latest value meets the target (None without both)."""
        latest, target = self.latest, self.indicator.target
        if latest is None or target is None:
            return None
        if self.indicator.direction == Direction.LOWER:
            return latest.value <= target
        return latest.value >= target

    @property
    def rows(self) -> list[tuple[Point, str]]:
        """Return each point with the special causes that flag it, as the crime pages' SPC
        table words them: "none" on the XmR chart, "–" off it (too few quarters, or a period
        that is not a quarter)."""
        on_chart = {id(p.period): p for p in self.spc.points} if self.spc else {}
        return [
            (
                point,
                "; ".join(on_chart[id(point.period)].flags) or "none"
                if id(point.period) in on_chart
                else NO_FIGURE,
            )
            for point in self.points
        ]

    def flags(self, point: Point) -> list[str]:
        """Return the special causes that flag `point` on the XmR chart, in words."""
        if self.spc is None:
            return []
        return next((p.flags for p in self.spc.points if p.period is point.period), [])


def quarter_label(ends_on: datetime.date) -> str:
    """Return a quarter's months and year from its last day: 31 Mar 2020 → "Jan–Mar 2020"."""
    first_month = datetime.date(ends_on.year, ends_on.month - 2, 1)
    return f"{first_month:%b}–{ends_on:%b %Y}"


def _quarter(ends_on: datetime.date) -> Quarter:
    start = datetime.date(ends_on.year, ends_on.month - 2, 1)
    return Quarter(quarter_label(ends_on), start, ends_on)


def indicator_trends(priority: Priority) -> list[IndicatorTrend]:
    """Return each of the priority's indicators with its points, in three queries: the
    indicators, the focus CSP's figures in their categories, and the local values."""
    indicators = list(OutcomeIndicator.objects.filter(priority=priority))
    group = ComparisonGroup.objects.select_related("focus").first()
    categories = {i.category for i in indicators if i.source == IndicatorSource.CRIME}
    figures: dict[str, list[CrimeFigure]] = {category: [] for category in categories}
    if group and categories:
        rows = (
            CrimeFigure.objects.filter(csp=group.focus, category__in=categories)
            .select_related("period")
            .order_by("period__start", "period__end")
        )
        for figure in rows:
            figures[figure.category].append(figure)
    values: dict[int, list[IndicatorValue]] = {i.pk: [] for i in indicators}
    for value in IndicatorValue.objects.filter(indicator__in=indicators).order_by(
        "quarter_ends_on"
    ):
        values[value.indicator_id].append(value)
    name = group.focus.label if group else ""
    return [
        _crime_trend(indicator, figures[indicator.category], name)
        if indicator.source == IndicatorSource.CRIME
        else _local_trend(indicator, values[indicator.pk])
        for indicator in indicators
    ]


def _crime_trend(indicator: OutcomeIndicator, figures: list[CrimeFigure], name: str):
    """Return a crime indicator's trend, written to the places the comparison table uses for
    rates of this size (two under 10 per 1,000), with intervals where the figures have counts."""
    with precision(places_for(f.rate for f in figures)):
        counted = [f for f in figures if f.offences is not None and f.population]
        limits: dict[int, tuple[Decimal, Decimal]] = {}
        if counted:
            import numpy as np

            from crime_stats import statistics  # scipy's import is paid only where used
            from crime_stats.uncertainty import decimal

            lower, upper = statistics.rate_interval(
                np.array([f.offences for f in counted], dtype=float),
                np.array([f.population for f in counted], dtype=float),
            )
            limits = {
                f.pk: (decimal(low), decimal(high))
                for f, low, high in zip(counted, lower, upper, strict=True)
            }
        points = [
            Point(
                period=f.period,
                value=f.rate,
                text=shown(f.rate),
                offences=f.offences if f.pk in limits else None,
                population=f.population if f.pk in limits else None,
                lower=limits[f.pk][0] if f.pk in limits else None,
                upper=limits[f.pk][1] if f.pk in limits else None,
                interval=f"{shown(limits[f.pk][0])}–{shown(limits[f.pk][1])}"
                if f.pk in limits
                else "",
            )
            for f in figures
        ]
        quarters = [(p.period, p.value) for p in points if is_quarter(p.period)]
        shown_as = {p.period.pk: p.text for p in points}
        spc = spc_of(name, indicator.category, quarters, shown_as=shown_as)
        change, verdict = _change(points)
        return IndicatorTrend(
            indicator, points, spc, len(quarters), *_spc_words(spc), change, verdict
        )


def _change(points: list[Point]) -> tuple[str, str | None]:
    """Return the latest value against the previous comparable period (same span, a year
    earlier) in words, tested as the comparison table tests it, and the verdict."""
    if not points:
        return "", None
    latest = points[-1]
    before = previous_comparable(latest.period, [p.period for p in points])
    previous = next((p for p in points if p.period is before), None)
    if previous is None:
        return f"No earlier comparable period to test {latest.label} against.", None
    if latest.offences is None or previous.offences is None:
        return (
            f"Against {previous.label} ({previous.text}): {NO_COUNT}, so no change can be tested.",
            None,
        )
    from crime_stats import statistics

    p_value = statistics.change_p_values(
        latest.offences, latest.population, previous.offences, previous.population
    )
    verdict = statistics.change_verdict(
        float(p_value),
        latest.offences / latest.population,
        previous.offences / previous.population,
    )
    return f"Against {previous.label} ({previous.text}): {verdict}.", verdict


def _local_trend(indicator: OutcomeIndicator, values: list[IndicatorValue]) -> IndicatorTrend:
    """Return a lead's measure: values as entered; the XmR chart's figures to the places the
    crime pages would use for values of that size."""
    with precision(places_for(v.value for v in values)):
        points = [
            Point(_quarter(v.quarter_ends_on), v.value, f"{v.value.normalize():f}") for v in values
        ]
        spc = spc_of(
            indicator.name,
            "",
            [(p.period, p.value) for p in points],
            shown_as={p.period.pk: p.text for p in points},
        )
        return IndicatorTrend(indicator, points, spc, len(points), *_spc_words(spc))


def _spc_words(spc: Spc | None) -> tuple[list[str], str, tuple]:
    """Return the XmR rules' findings, the limits as written and the chart's lines, inside
    the trend's places."""
    if spc is None:
        return [], "", ()
    return (
        spc.findings,
        f"{shown(spc.lower)} to {shown(spc.upper)} around a mean of {shown(spc.mean)}",
        (
            (f"Upper process limit ({shown(spc.upper)})", spc.upper),
            (f"Mean ({shown(spc.mean)})", spc.mean),
            (f"Lower process limit ({shown(spc.lower)})", spc.lower),
        ),
    )


def indicator_chart(trend: IndicatorTrend) -> dict | None:
    """Return a line chart of the indicator's values (as the table writes them) with their 95%
    intervals as whiskers where counts exist, the target, and the XmR chart's mean and process
    limits; quarters a rule flags are orange squares, as on the crime pages. None without
    values."""
    points = trend.series
    if not points:
        return None
    indicator = trend.indicator
    # Short labels, as on the crime pages' SPC chart: twelve quarters must fit under it.
    labels = [f"{p.period.start:%b}–{p.period.end:%b %Y}" for p in points]
    flagged = [bool(trend.flags(point)) for point in points]
    whiskers = None
    if trend.has_intervals:
        whiskers = {
            "type": "data",
            "symmetric": False,
            "array": [float(p.upper - p.value) if p.upper is not None else 0 for p in points],
            "arrayminus": [float(p.value - p.lower) if p.lower is not None else 0 for p in points],
            "color": "#6c757d",
            "thickness": 1.5,
            "width": 4,
        }
    hover = [
        point.text
        + (f"; 95% interval {point.interval}" if point.interval else "")
        + (f" — {'; '.join(trend.flags(point))}" if trend.flags(point) else "")
        for point in points
    ]
    # Every value is labelled on a short series; on a long one only the latest (the table
    # beside the chart and the hover text carry the rest).
    texts = [p.text if len(points) <= 6 or p is points[-1] else "" for p in points]
    figure = Figure()
    figure.add_trace(
        trace(
            "scatter",
            x=labels,
            y=[float(point.value) for point in points],
            mode="lines+markers+text",
            name=plain(indicator.name),
            text=texts,
            textposition="top center",
            line={"color": "#1d3557"},
            marker=special_cause_markers(flagged, "#1d3557", size=7),
            error_y=whiskers,
            customdata=hover,
            hovertemplate="%{x}: %{customdata}<extra></extra>",
        )
    )
    if indicator.target is not None:
        figure.add_trace(
            trace(
                "scatter",
                x=labels,
                y=[float(indicator.target)] * len(labels),
                mode="lines",
                name=f"Target {indicator.target.normalize():f} "
                f"({indicator.get_direction_display().lower()})",
                line={"color": "#b02a37", "dash": "dash"},
                hoverinfo="skip",
            )
        )
    spc = trend.spc
    highest = [p.upper if p.upper is not None else p.value for p in points]
    if spc is not None:
        on_chart = {id(p.period) for p in spc.points}
        for (name, level), dash in zip(trend.lines, ("dot", "solid", "dot"), strict=True):
            figure.add_trace(
                trace(
                    "scatter",
                    x=labels,
                    y=[float(level) if id(p.period) in on_chart else None for p in points],
                    mode="lines",
                    name=name,
                    line={"color": LIMIT_COLOUR, "dash": dash, "width": 1.5},
                    hoverinfo="skip",
                )
            )
        highest.append(spc.upper)
    highest.append(indicator.target or Decimal(0))
    figure.update_layout(
        title={"text": plain(indicator.name), "x": 0, "font": {"size": 14}},
        font=FONT,
        height=400,
        margin={"l": 50, "r": 60, "t": 50, "b": 60},
        legend={"orientation": "h", "x": 0, "y": -0.4},
        paper_bgcolor="white",
        plot_bgcolor="white",
    )
    # Room above the highest value (or whisker) for its label.
    figure.update_yaxes(
        gridcolor="#e9ecef", range=[0, float(max(highest)) * 1.2], title=plain(indicator.unit)
    )
    figure.update_xaxes(automargin=True, type="category", tickangle=-45)
    return figure.to_plotly_json()
