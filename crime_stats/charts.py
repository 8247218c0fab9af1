"""Plotly figures of the comparison: pure functions of the engine's results, no database.

Each function returns the figure as a dict (plotly's JSON form) for `json_script`; the page's
one static script (static/js/charts.js) draws it. Every chart on a page also has a table of
the same numbers beside it.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from crime_stats.display import shown
from crime_stats.narrative import ordinal
from crime_stats.plot import Figure, trace
from crime_stats.selectors import ComparisonTable, TrendPoint

FOCUS_COLOUR = "#1d3557"  # the portal's navy: 11.6:1 on white
MEMBER_COLOUR = "#8d99ae"
AVERAGE_COLOUR = "#b3261e"  # a dark red line, labelled in words as well
BAND_COLOUR = "rgba(179, 38, 30, 0.10)"
FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif", "size": 13}
# What the shaded area of a chart is; comparison.BAND_METHOD says how a CSP is banded.
BAND_SHADING = (
    "Shaded band: MSG average ± one standard deviation (population) of the members' rates"
)


@dataclass(frozen=True)
class RankedBar:
    """One CSP's bar: its label, stored rate, position, whether it is the focus CSP, the rate
    as the table beside the chart writes it, and its 95% confidence interval where known."""

    label: str
    rate: Decimal
    position: int
    joint: bool
    is_focus: bool
    shown_rate: str = ""
    lower: Decimal | None = None
    upper: Decimal | None = None

    @property
    def text(self) -> str:
        """Return the rate as shown: the table's own string (two places to explain a tie)."""
        return self.shown_rate or shown(self.rate)


def plain(text: str) -> str:
    """Return text from the database made safe for a chart: plotly reads `<b>`, `<a href>` and
    the like as markup, so `<`, `>` and `&` are written as entities, which it shows as typed."""
    return html.escape(text, quote=False)


def apply_layout(figure: Figure, *, title: str, subtitle: str, height: int) -> None:
    figure.update_layout(
        template="none",
        title={
            "text": plain(title),
            "x": 0,
            "xanchor": "left",
            "font": {"size": 15},
            "subtitle": {"text": subtitle, "font": {"size": 12, "color": "#495057"}},
        },
        font=FONT,
        height=height,
        margin={"l": 10, "r": 20, "t": 70, "b": 60},
        showlegend=False,
        paper_bgcolor="white",
        plot_bgcolor="white",
    )


def ranked_bar_chart(
    bars: Sequence[RankedBar], *, msg_average: Decimal, std_dev: Decimal, title: str
) -> dict:
    """Return a horizontal bar chart of the group, highest rate first, focus CSP highlighted.

    The MSG average is a bar of its own among the CSPs (named, in its own colour), and its band
    (± one standard deviation) a shaded area; every bar carries its value and position, so
    nothing depends on colour alone. Bars with a confidence interval carry it as a whisker.
    Every label and hover text is the string the table beside the chart shows.
    """
    ordered = sorted(bars, key=lambda bar: (-bar.rate, bar.label))
    at = next((i for i, bar in enumerate(ordered) if bar.rate < msg_average), len(ordered))
    # Plain text only: plotly draws <b> and friends with style attributes, which the Content
    # Security Policy refuses, so the focus CSP and the average are named in words.
    labels = [
        f"▶ {plain(bar.label)} (focus)" if bar.is_focus else plain(bar.label) for bar in ordered
    ]
    texts = [
        f"{bar.text} ({'joint ' if bar.joint else ''}{ordinal(bar.position)})" for bar in ordered
    ]
    hovers = [
        f"{bar.text} crimes per 1,000"
        + (f"; 95% interval {shown(bar.lower)}–{shown(bar.upper)}" if bar.lower is not None else "")
        for bar in ordered
    ]
    colours = [FOCUS_COLOUR if bar.is_focus else MEMBER_COLOUR for bar in ordered]
    rates = [float(bar.rate) for bar in ordered]
    above = [float(bar.upper - bar.rate) if bar.upper is not None else 0.0 for bar in ordered]
    below = [float(bar.rate - bar.lower) if bar.lower is not None else 0.0 for bar in ordered]
    labels.insert(at, "MSG average")
    texts.insert(at, f"{shown(msg_average)} (average)")
    hovers.insert(at, f"{shown(msg_average)} crimes per 1,000 (the mean of the members' rates)")
    colours.insert(at, AVERAGE_COLOUR)
    rates.insert(at, float(msg_average))
    above.insert(at, 0.0)
    below.insert(at, 0.0)
    whiskers = any(bar.lower is not None for bar in ordered)
    figure = Figure(
        trace(
            "bar",
            x=rates,
            y=labels,
            orientation="h",
            marker={"color": colours},
            text=texts,
            # With whiskers the labels go beyond them (the trace below), not over them.
            textposition="none" if whiskers else "outside",
            cliponaxis=False,
            customdata=hovers,
            hovertemplate="%{y}: %{customdata}<extra></extra>",
            error_x=(
                {
                    "type": "data",
                    "symmetric": False,
                    "array": above,
                    "arrayminus": below,
                    "color": "#212529",
                    "thickness": 1.5,
                    "width": 4,
                }
                if whiskers
                else None
            ),
        )
    )
    if whiskers:
        figure.add_trace(
            trace(
                "scatter",
                x=[rate + reach for rate, reach in zip(rates, above, strict=True)],
                y=labels,
                mode="text",
                text=texts,
                textposition="middle right",
                cliponaxis=False,
                hoverinfo="skip",
                showlegend=False,
            )
        )
    low, high = float(msg_average - std_dev), float(msg_average + std_dev)
    figure.add_vrect(x0=low, x1=high, fillcolor=BAND_COLOUR, line_width=0, layer="below")
    apply_layout(figure, title=title, subtitle=BAND_SHADING, height=130 + 26 * len(labels))
    figure.update_layout(bargap=0.25)
    figure.update_yaxes(autorange="reversed", automargin=True, ticks="")
    figure.update_xaxes(
        title_text="Crimes per 1,000 population",
        rangemode="tozero",
        gridcolor="#e9ecef",
        range=[0, max([r + a for r, a in zip(rates, above, strict=True)] + [high]) * 1.25],
    )
    return figure.to_plotly_json()


def trend_chart(
    period_labels: Sequence[str],
    focus_rates: Sequence[Decimal | None],
    msg_averages: Sequence[Decimal],
    std_devs: Sequence[Decimal],
    *,
    focus_label: str,
    title: str,
) -> dict:
    """Return a line chart of the focus CSP against the MSG average and its band over time.

    Labels and hover texts are the strings the trend table writes (crime_stats.display).
    """
    upper = [float(average + sd) for average, sd in zip(msg_averages, std_devs, strict=True)]
    lower = [float(average - sd) for average, sd in zip(msg_averages, std_devs, strict=True)]
    figure = Figure()
    figure.add_trace(
        trace(
            "scatter",
            x=list(period_labels),
            y=upper,
            mode="lines",
            line={"width": 0},
            hoverinfo="skip",
            name="Band (upper)",
        )
    )
    figure.add_trace(
        trace(
            "scatter",
            x=list(period_labels),
            y=lower,
            mode="lines",
            line={"width": 0},
            fill="tonexty",
            fillcolor=BAND_COLOUR,
            hoverinfo="skip",
            name="Band (lower)",
        )
    )
    figure.add_trace(
        trace(
            "scatter",
            x=list(period_labels),
            y=[float(average) for average in msg_averages],
            mode="lines+markers",
            name="MSG average",
            line={"color": AVERAGE_COLOUR, "width": 2, "dash": "dash"},
            marker={"symbol": "square", "size": 8},
            customdata=[shown(average) for average in msg_averages],
            hovertemplate="MSG average, %{x}: %{customdata}<extra></extra>",
        )
    )
    figure.add_trace(
        trace(
            "scatter",
            x=list(period_labels),
            y=[None if value is None else float(value) for value in focus_rates],
            mode="lines+markers+text",
            name=plain(focus_label),
            line={"color": FOCUS_COLOUR, "width": 3},
            marker={"symbol": "circle", "size": 9},
            text=[shown(value) if value is not None else "" for value in focus_rates],
            customdata=[shown(value) for value in focus_rates],
            # Labels go on the side away from the average line, so the two never collide.
            textposition=[
                "bottom center" if rate is not None and rate < average else "top center"
                for rate, average in zip(focus_rates, msg_averages, strict=True)
            ],
            hovertemplate=f"{plain(focus_label)}, %{{x}}: %{{customdata}}<extra></extra>",
        )
    )
    apply_layout(figure, title=title, subtitle=BAND_SHADING, height=400)
    figure.update_layout(
        showlegend=True,
        legend={"orientation": "h", "x": 0, "y": -0.15, "traceorder": "reversed"},
    )
    figure.update_traces(showlegend=False, selector={"name": "Band (upper)"})
    figure.update_traces(showlegend=False, selector={"name": "Band (lower)"})
    figure.update_yaxes(
        title_text="Crimes per 1,000 population",
        rangemode="tozero",
        gridcolor="#e9ecef",
        automargin=True,
    )
    figure.update_xaxes(type="category", automargin=True)
    return figure.to_plotly_json()


def table_bar_chart(table: ComparisonTable) -> dict | None:
    """Return the ranked bar chart of a comparison table's period, or None with no figures."""
    comparison = table.comparison
    if comparison.msg_average is None:
        return None
    bars = [
        RankedBar(
            row.csp,
            row.rate,
            row.position,
            row.joint,
            row.is_focus,
            row.shown_rate,
            row.lower,
            row.upper,
        )
        for row in comparison.counted
    ]
    return ranked_bar_chart(
        bars,
        msg_average=comparison.msg_average,
        std_dev=comparison.std_dev,
        title=f"{table.category}: crimes per 1,000 population, {table.period.label}",
    )


def focus_trend_chart(
    points: Sequence[TrendPoint], *, focus_label: str, category: str
) -> dict | None:
    """Return the focus CSP's trend chart over the points that have an MSG average, or None."""
    points = [point for point in points if point.msg_average is not None]
    if not points:
        return None
    return trend_chart(
        [plain(point.period.label) for point in points],
        [point.focus_rate for point in points],
        [point.msg_average for point in points],
        [point.std_dev for point in points],
        focus_label=focus_label,
        title=f"{category}: {focus_label} against the MSG average",
    )
