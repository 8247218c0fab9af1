"""Outcome indicators beside the work meant to move them: each indicator's values over time
(crime figures for the focus CSP, or the quarterly values a lead enters), whether the latest
meets its target, and which way it moved last."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import plotly.graph_objects as go

from crime_stats.charts import FONT, plain
from crime_stats.models import ComparisonGroup, CrimeFigure
from partnership.models import Direction, IndicatorSource, IndicatorValue, OutcomeIndicator
from partnership.spc import MIN_VALUES, ProcessLimits, process_limits
from priorities.models import Priority


@dataclass(frozen=True)
class Point:
    """One value of an indicator: its label (period or quarter), the date it ends and value."""

    label: str
    ends_on: datetime.date
    value: Decimal


@dataclass(frozen=True)
class IndicatorTrend:
    """An indicator with its points, oldest first."""

    indicator: OutcomeIndicator
    points: list[Point]

    @property
    def latest(self) -> Point | None:
        return self.points[-1] if self.points else None

    @property
    def movement(self) -> str:
        """Return "better", "worse" or "no change" from the previous point to the latest (by
        the indicator's direction), or "" with fewer than two points."""
        if len(self.points) < 2:
            return ""
        before, after = self.points[-2].value, self.points[-1].value
        if after == before:
            return "no change"
        lower = self.indicator.direction == Direction.LOWER
        return "better" if (after < before) == lower else "worse"

    @property
    def limits(self) -> ProcessLimits | None:
        """Return the XmR chart of the values (partnership/spc.py), or None with too few."""
        return process_limits([point.value for point in self.points])

    @property
    def signals(self) -> list[str]:
        """Return each special-cause signal in words, naming the values' labels."""
        limits = self.limits
        if limits is None:
            return []
        words = [f"{self.points[i].label} is outside the limits" for i in limits.outside]
        words += [
            f"{last - first + 1} values in a row on one side of the mean, "
            f"{self.points[first].label} to {self.points[last].label}"
            for first, last in limits.runs
        ]
        return words

    @property
    def meets_target(self) -> bool | None:
        """Return whether the latest value meets the target (None without both)."""
        latest, target = self.latest, self.indicator.target
        if latest is None or target is None:
            return None
        if self.indicator.direction == Direction.LOWER:
            return latest.value <= target
        return latest.value >= target


SPC_MINIMUM = MIN_VALUES


def quarter_label(ends_on: datetime.date) -> str:
    """Return a quarter's months and year from its last day: 31 Mar 2020 → "Jan–Mar 2020"."""
    first_month = datetime.date(ends_on.year, ends_on.month - 2, 1)
    return f"{first_month:%b}–{ends_on:%b %Y}"


def indicator_trends(priority: Priority) -> list[IndicatorTrend]:
    """Return each of the priority's indicators with its points, in three queries: the
    indicators, the focus CSP's figures in their categories, and the local values."""
    indicators = list(OutcomeIndicator.objects.filter(priority=priority))
    group = ComparisonGroup.objects.select_related("focus").first()
    categories = {i.category for i in indicators if i.source == IndicatorSource.CRIME}
    figures: dict[str, list[Point]] = {category: [] for category in categories}
    if group and categories:
        rows = (
            CrimeFigure.objects.filter(csp=group.focus, category__in=categories)
            .select_related("period")
            .order_by("period__start", "period__end")
        )
        for figure in rows:
            figures[figure.category].append(
                Point(figure.period.label, figure.period.end, figure.rate)
            )
    values: dict[int, list[Point]] = {i.pk: [] for i in indicators}
    for value in IndicatorValue.objects.filter(indicator__in=indicators).order_by(
        "quarter_ends_on"
    ):
        values[value.indicator_id].append(
            Point(quarter_label(value.quarter_ends_on), value.quarter_ends_on, value.value)
        )
    return [
        IndicatorTrend(
            indicator,
            figures[indicator.category]
            if indicator.source == IndicatorSource.CRIME
            else values[indicator.pk],
        )
        for indicator in indicators
    ]


def indicator_chart(trend: IndicatorTrend) -> dict | None:
    """Return a line chart of the indicator's values with its target, or None without values."""
    if not trend.points:
        return None
    indicator = trend.indicator
    labels = [point.label for point in trend.points]
    figure = go.Figure(
        go.Scatter(
            x=labels,
            y=[float(point.value) for point in trend.points],
            mode="lines+markers+text",
            name=plain(indicator.name),
            text=[f"{point.value.normalize():f}" for point in trend.points],
            textposition="top center",
            line={"color": "#1d3557"},
            hovertemplate="%{x}: %{text}<extra></extra>",
        )
    )
    if indicator.target is not None:
        figure.add_trace(
            go.Scatter(
                x=labels,
                y=[float(indicator.target)] * len(labels),
                mode="lines",
                name=f"Target {indicator.target.normalize():f} "
                f"({indicator.get_direction_display().lower()})",
                line={"color": "#b02a37", "dash": "dash"},
                hoverinfo="skip",
            )
        )
    figure.update_layout(
        template="none",
        title={"text": plain(indicator.name), "x": 0, "font": {"size": 14}},
        font=FONT,
        height=300,
        margin={"l": 50, "r": 60, "t": 50, "b": 60},
        legend={"orientation": "h", "x": 0, "y": -0.25},
        paper_bgcolor="white",
        plot_bgcolor="white",
    )
    limits = trend.limits
    if limits is not None:
        for name, level in (("Upper", limits.upper), ("Lower", limits.lower)):
            figure.add_trace(
                go.Scatter(
                    x=labels,
                    y=[float(level)] * len(labels),
                    mode="lines",
                    name=f"{name} {level:.1f}"
                    if name != "Lower"
                    else f"Lower process limit {level:.1f}",
                    line={"color": "#6c757d", "dash": "dot"},
                    hoverinfo="skip",
                )
            )
    # Room above the highest value for its label.
    highest = max(
        [point.value for point in trend.points]
        + [indicator.target or 0]
        + ([limits.upper] if limits else [])
    )
    figure.update_yaxes(
        gridcolor="#e9ecef", range=[0, float(highest) * 1.2], title=plain(indicator.unit)
    )
    figure.update_xaxes(automargin=True)
    return figure.to_plotly_json()
