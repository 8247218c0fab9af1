"""Plotly figure of delivery by priority, from plain figures: a pure function, no database."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from actions.delivery import STATUS_LABELS, STATUS_ORDER, PriorityDelivery
from crime_stats.charts import FONT, plain

# The RAG palette of static/css/portal.css. Each segment is also labelled with its count and
# status in words, so nothing depends on colour alone.
STATUS_COLOURS = {
    "red": "#b02a37",
    "amber": "#ffc107",
    "green": "#146c2e",
    "complete": "#1d3557",
    "not_started": "#adb5bd",
    "": "#e9ecef",
}
STATUS_WORDS = {
    "red": "red",
    "amber": "amber",
    "green": "green",
    "complete": "complete",
    "not_started": "not started",
    "": "no update",
}
TEXT_COLOURS = {"amber": "#212529", "not_started": "#212529", "": "#212529"}


def delivery_chart(rows: Sequence[PriorityDelivery], *, title: str) -> dict | None:
    """Return a stacked bar per priority of its actions by current status, or None if none."""
    if not any(row.total for row in rows):
        return None
    labels = [f"{row.priority.letter}. {plain(_short(row.priority.wording))}" for row in rows]
    figure = go.Figure()
    for status in STATUS_ORDER:
        counts = [row.statuses[status] for row in rows]
        if not any(counts):
            continue
        figure.add_trace(
            go.Bar(
                name=STATUS_LABELS[status],
                x=counts,
                y=labels,
                orientation="h",
                marker={"color": STATUS_COLOURS[status], "line": {"color": "white", "width": 2}},
                text=[f"{count} {STATUS_WORDS[status]}" if count else "" for count in counts],
                textfont={"color": TEXT_COLOURS.get(status, "white")},
                textposition="inside",
                insidetextanchor="middle",
                hovertemplate=f"%{{y}}: %{{x}} {STATUS_LABELS[status]}<extra></extra>",
            )
        )
    figure.update_layout(
        template="none",
        barmode="stack",
        title={
            "text": plain(f"{title} (number of actions)"),
            "x": 0,
            "xanchor": "left",
            "font": {"size": 15},
        },
        font=FONT,
        height=140 + 40 * len(rows),
        margin={"l": 10, "r": 20, "t": 50, "b": 40},
        legend={"orientation": "h", "x": 0, "y": -0.12, "traceorder": "normal"},
        paper_bgcolor="white",
        plot_bgcolor="white",
    )
    figure.update_yaxes(autorange="reversed", automargin=True, ticks="")
    figure.update_xaxes(dtick=1, gridcolor="#e9ecef", rangemode="tozero")
    return figure.to_plotly_json()


def _short(wording: str, limit: int = 48) -> str:
    """Return the wording cut at a word boundary to fit a chart's axis."""
    if len(wording) <= limit:
        return wording
    return wording[:limit].rsplit(" ", 1)[0] + "…"
