"""Plotly figures of the comparison, built from plain numbers: pure functions, no database.

Each function returns the figure as a dict (plotly's JSON form) for `json_script`; the page's
one static script (static/js/charts.js) draws it. Every chart on a page also has a table of
the same numbers beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import plotly.graph_objects as go

FOCUS_COLOUR = "#1d3557"  # the portal's navy: 11.6:1 on white
MEMBER_COLOUR = "#8d99ae"
AVERAGE_COLOUR = "#b3261e"  # a dark red line, labelled in words as well
BAND_COLOUR = "rgba(179, 38, 30, 0.10)"
FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif", "size": 13}
BAND_METHOD = (
    "Shaded band: MSG average ± one standard deviation (population) of the members' rates."
)


@dataclass(frozen=True)
class RankedBar:
    """One CSP's bar: its label, rate, position and whether it is the focus CSP."""

    label: str
    rate: float
    position: int
    joint: bool
    is_focus: bool


def _layout(figure: go.Figure, *, title: str, height: int) -> None:
    figure.update_layout(
        template="none",
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 15}},
        font=FONT,
        height=height,
        margin={"l": 10, "r": 20, "t": 60, "b": 70},
        showlegend=False,
        paper_bgcolor="white",
        plot_bgcolor="white",
    )


def ranked_bar_chart(
    bars: Sequence[RankedBar], *, msg_average: float, std_dev: float, title: str
) -> dict:
    """Return a horizontal bar chart of the group, highest rate first, focus CSP highlighted.

    The MSG average is a labelled line and its band (± one standard deviation) a shaded area;
    every bar carries its value and position, so nothing depends on colour alone.
    """
    ordered = sorted(bars, key=lambda bar: (bar.position, bar.label))
    labels = [f"<b>{bar.label} (focus)</b>" if bar.is_focus else bar.label for bar in ordered]
    figure = go.Figure(
        go.Bar(
            x=[bar.rate for bar in ordered],
            y=labels,
            orientation="h",
            marker={"color": [FOCUS_COLOUR if bar.is_focus else MEMBER_COLOUR for bar in ordered]},
            text=[
                f"{bar.rate:.1f} ({'joint ' if bar.joint else ''}{_ordinal(bar.position)})"
                for bar in ordered
            ],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x:.1f} crimes per 1,000<extra></extra>",
        )
    )
    low, high = msg_average - std_dev, msg_average + std_dev
    figure.add_vrect(x0=low, x1=high, fillcolor=BAND_COLOUR, line_width=0, layer="below")
    figure.add_vline(x=msg_average, line={"color": AVERAGE_COLOUR, "width": 2, "dash": "dash"})
    figure.add_annotation(
        x=msg_average,
        y=1,
        yref="paper",
        yanchor="bottom",
        showarrow=False,
        text=f"MSG average {msg_average:.1f}",
        font={"color": AVERAGE_COLOUR},
    )
    _layout(figure, title=title, height=120 + 28 * len(ordered))
    figure.update_yaxes(autorange="reversed", automargin=True, ticks="")
    figure.update_xaxes(
        title_text="Crimes per 1,000 population",
        rangemode="tozero",
        gridcolor="#e9ecef",
        range=[0, max([bar.rate for bar in ordered] + [high]) * 1.18],
    )
    figure.add_annotation(
        x=0,
        y=-0.02,
        xref="paper",
        yref="paper",
        yanchor="top",
        xanchor="left",
        showarrow=False,
        text=BAND_METHOD,
        font={"size": 11, "color": "#495057"},
        yshift=-30,
    )
    return figure.to_plotly_json()


def trend_chart(
    period_labels: Sequence[str],
    focus_rates: Sequence[float | None],
    msg_averages: Sequence[float],
    std_devs: Sequence[float],
    *,
    focus_label: str,
    title: str,
) -> dict:
    """Return a line chart of the focus CSP against the MSG average and its band over time."""
    upper = [average + sd for average, sd in zip(msg_averages, std_devs, strict=True)]
    lower = [average - sd for average, sd in zip(msg_averages, std_devs, strict=True)]
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            x=list(period_labels),
            y=upper,
            mode="lines",
            line={"width": 0},
            hoverinfo="skip",
            name="Band (upper)",
        )
    )
    figure.add_trace(
        go.Scatter(
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
        go.Scatter(
            x=list(period_labels),
            y=list(msg_averages),
            mode="lines+markers+text",
            name="MSG average",
            line={"color": AVERAGE_COLOUR, "width": 2, "dash": "dash"},
            marker={"symbol": "square", "size": 8},
            text=[f"{value:.1f}" for value in msg_averages],
            textposition="bottom center",
            hovertemplate="MSG average, %{x}: %{y:.1f}<extra></extra>",
        )
    )
    figure.add_trace(
        go.Scatter(
            x=list(period_labels),
            y=list(focus_rates),
            mode="lines+markers+text",
            name=focus_label,
            line={"color": FOCUS_COLOUR, "width": 3},
            marker={"symbol": "circle", "size": 9},
            text=[f"{value:.1f}" if value is not None else "" for value in focus_rates],
            textposition="top center",
            hovertemplate=f"{focus_label}, %{{x}}: %{{y:.1f}}<extra></extra>",
        )
    )
    _layout(figure, title=title, height=380)
    figure.update_layout(
        showlegend=True,
        legend={"orientation": "h", "x": 0, "y": -0.2, "traceorder": "reversed"},
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


def _ordinal(number: int) -> str:
    """Return 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st…"""
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"
