"""The funnel plot and the XmR chart as plotly figures: pure functions, no database.

Like crime_stats.charts, every label and hover text is the string the table beside the chart
shows (crime_stats.display), and no markup from the database reaches plotly.
"""

from __future__ import annotations

from crime_stats.charts import (
    AVERAGE_COLOUR,
    FOCUS_COLOUR,
    MEMBER_COLOUR,
    apply_layout,
    plain,
)
from crime_stats.display import shown
from crime_stats.national import Funnel, NationalContext
from crime_stats.plot import Figure, trace
from crime_stats.variation import Spc

OTHER_COLOUR = "#adb5bd"
MEMBER_MARK = "#6c3483"  # MSG members: purple diamonds, named in the legend
FLAG_COLOUR = "#c05600"  # special-cause points: dark orange squares, named in words too
LIMIT_COLOUR = "#495057"


def special_cause_markers(flagged: list[bool], colour: str, size: int = 8) -> dict:
    """Return the markers of an XmR chart's points: a point a special-cause rule flags is a
    larger dark orange square (and is named in words beside the chart), the others circles."""
    return {
        "color": [FLAG_COLOUR if flag else colour for flag in flagged],
        "symbol": ["square" if flag else "circle" for flag in flagged],
        "size": [11 if flag else size for flag in flagged],
    }


def funnel_method(funnel: Funnel) -> str:
    """Return the subtitle stating how the funnel's limits were drawn."""
    if funnel.adjusted:
        return "95% and 99.8% limits, widened for over-dispersion (Spiegelhalter 2005)"
    return "95% and 99.8% Poisson limits, not widened for over-dispersion (Spiegelhalter 2005)"


def funnel_chart(context: NationalContext, *, title: str) -> dict | None:
    """Return the funnel plot: every CSP with a count, rate against population, the national
    rate and its limits; MSG members and the focus CSP marked in shape and colour and named."""
    funnel = context.funnel
    if funnel is None:
        return None
    figure = Figure()
    styles = {"95%": "dash", "99.8%": "solid"}
    for name, (lower, upper) in funnel.limits.items():
        for side, values in (("upper", upper), ("lower", lower)):
            figure.add_trace(
                trace(
                    "scatter",
                    x=funnel.grid,
                    y=values,
                    mode="lines",
                    name=f"{name} limits",
                    legendgroup=name,
                    showlegend=side == "upper",
                    line={"color": LIMIT_COLOUR, "width": 1.5, "dash": styles[name]},
                    hoverinfo="skip",
                )
            )
    figure.add_trace(
        trace(
            "scatter",
            x=[funnel.grid[0], funnel.grid[-1]],
            y=[float(funnel.national_rate)] * 2,
            mode="lines",
            name=f"National rate ({shown(funnel.national_rate)})",
            line={"color": AVERAGE_COLOUR, "width": 2},
            hoverinfo="skip",
        )
    )
    groups = (
        ("Other CSPs", lambda p: not p.in_group, OTHER_COLOUR, "circle", 7),
        ("MSG members", lambda p: p.in_group and not p.is_focus, MEMBER_MARK, "diamond", 10),
        ("Focus CSP", lambda p: p.is_focus, FOCUS_COLOUR, "star", 16),
    )
    counted = [point for point in context.points if point.has_count]
    for name, chosen, colour, symbol, size in groups:
        points = [point for point in counted if chosen(point)]
        if not points:
            continue
        figure.add_trace(
            trace(
                "scatter",
                x=[point.population for point in points],
                y=[float(point.rate) for point in points],
                mode="markers+text" if name == "Focus CSP" else "markers",
                name=name if name != "Focus CSP" else plain(points[0].csp),
                marker={"color": colour, "symbol": symbol, "size": size},
                text=[f"{plain(p.name)} {p.text}" for p in points] if name == "Focus CSP" else None,
                textposition="top center",
                customdata=[
                    f"{plain(p.csp)}: {p.text} per 1,000 ({p.offences:,} offences, "
                    f"population {p.population:,})"
                    for p in points
                ],
                hovertemplate="%{customdata}<extra></extra>",
            )
        )
    apply_layout(figure, title=title, subtitle=funnel_method(funnel), height=460)
    figure.update_layout(
        showlegend=True, legend={"orientation": "h", "x": 0, "y": -0.2}, margin={"b": 110}
    )
    figure.update_xaxes(
        type="log", title_text="Population (log scale)", gridcolor="#e9ecef", automargin=True
    )
    figure.update_yaxes(
        title_text="Crimes per 1,000 population",
        gridcolor="#e9ecef",
        rangemode="tozero",
        automargin=True,
    )
    return figure.to_plotly_json()


def spc_chart(spc: Spc, *, title: str) -> dict:
    """Return the XmR chart: each quarter's rate, the mean and the process limits; quarters a
    rule flags are orange squares, named in the hover text and in the table beside it."""
    labels = [
        f"{point.period.start:%b}–{point.period.end:%b %Y}" for point in spc.points
    ]  # short: twelve or twenty quarters must fit under the chart
    figure = Figure()
    for name, value, dash in (
        (f"Upper process limit ({shown(spc.upper)})", spc.upper, "dash"),
        (f"Mean ({shown(spc.mean)})", spc.mean, "solid"),
        (f"Lower process limit ({shown(spc.lower)})", spc.lower, "dash"),
    ):
        figure.add_trace(
            trace(
                "scatter",
                x=labels,
                y=[float(value)] * len(labels),
                mode="lines",
                name=name,
                line={
                    "color": AVERAGE_COLOUR if name.startswith("Mean") else LIMIT_COLOUR,
                    "width": 1.5,
                    "dash": dash,
                },
                hoverinfo="skip",
            )
        )
    figure.add_trace(
        trace(
            "scatter",
            x=labels,
            y=[float(point.rate) for point in spc.points],
            mode="lines+markers",
            name=plain(spc.csp),
            line={"color": MEMBER_COLOUR, "width": 2},
            marker=special_cause_markers([bool(p.flags) for p in spc.points], FOCUS_COLOUR),
            customdata=[
                p.text + (f" — {'; '.join(p.flags)}" if p.flags else "") for p in spc.points
            ],
            hovertemplate="%{x}: %{customdata}<extra></extra>",
        )
    )
    apply_layout(
        figure,
        title=title,
        subtitle="Limits from the quarters before the latest; orange squares: special causes",
        height=420,
    )
    figure.update_layout(
        showlegend=True,
        legend={"orientation": "h", "x": 0, "y": -0.45},
        margin={"b": 150},
        height=470,
    )
    figure.update_xaxes(type="category", automargin=True, tickangle=-45)
    figure.update_yaxes(
        title_text="Crimes per 1,000 population", gridcolor="#e9ecef", automargin=True
    )
    return figure.to_plotly_json()
