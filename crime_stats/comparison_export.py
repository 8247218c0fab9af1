"""The comparison table as the DESIGN.md JSON document and as spreadsheet rows."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from crime_stats.comparison import ComparisonRow
from crime_stats.models import ReportingPeriod
from crime_stats.national import NationalContext
from crime_stats.selectors import ComparisonTable
from crime_stats.variation import Spc
from exports.tables import Cell

# Derived figures keep the stored precision of a rate (three decimal places).
PRECISION = Decimal("0.001")


def number(value: Decimal | None) -> float | None:
    """Return the value rounded half-up to three decimal places as a JSON number, or None."""
    if value is None:
        return None
    return float(value.quantize(PRECISION, rounding=ROUND_HALF_UP))


def rounded(value: Decimal | None) -> Decimal | None:
    """Return the value rounded half-up to three decimal places, or None."""
    return None if value is None else value.quantize(PRECISION, rounding=ROUND_HALF_UP)


def row_json(row: ComparisonRow) -> dict[str, Any]:
    """Return one CSP's row as DESIGN.md's comparison JSON writes it, with its uncertainty:
    offences and population (null for a rate loaded without them), the 95% interval, the
    change's p-value and verdict, and the plausible range of positions."""
    return {
        "csp": row.csp,
        "rate": number(row.rate),
        "position": row.position,
        "joint": row.joint,
        "change": number(row.change),
        "change_pct": number(row.change_pct),
        "band": row.band,
        "offences": row.offences,
        "population": row.population,
        "ci_lower": number(row.lower),
        "ci_upper": number(row.upper),
        "change_p_value": row.change_p,
        "change_verdict": row.verdict,
        "position_low": row.rank_low,
        "position_high": row.rank_high,
    }


def national_json(national: NationalContext | None) -> dict[str, Any] | None:
    """Return the focus CSP's national position and the funnel's numbers, or None."""
    if national is None:
        return None
    funnel = national.funnel
    return {
        "position": national.position,
        "joint": national.joint,
        "of": national.ranked,
        "position_low": national.rank_low,
        "position_high": national.rank_high,
        "funnel": funnel
        and {
            "national_rate": number(funnel.national_rate),
            "limits": "over-dispersed" if funnel.adjusted else "poisson",
            "phi": funnel.phi,
            "tau2": funnel.tau2,
            "csps": funnel.csps,
            "outside_99_8": [
                {
                    "csp": outlier.point.csp,
                    "rate": number(outlier.point.rate),
                    "side": outlier.side,
                    "lower": number(outlier.lower),
                    "upper": number(outlier.upper),
                }
                for outlier in funnel.outliers
            ],
        },
    }


def spc_json(spc: Spc | None) -> dict[str, Any] | None:
    """Return the XmR chart's numbers and findings, or None without quarterly figures."""
    if spc is None:
        return None
    return {
        "mean": number(spc.mean),
        "lower_limit": number(spc.lower),
        "upper_limit": number(spc.upper),
        "points": [
            {"period": p.period.slug, "rate": number(p.rate), "special_causes": p.flags}
            for p in spc.points
        ],
        "findings": spc.findings,
    }


def comparison_json(
    table: ComparisonTable,
    periods: list[ReportingPeriod],
    *,
    narrative: list[str] | None = None,
    national: NationalContext | None = None,
    spc: Spc | None = None,
) -> dict[str, Any]:
    """Return the comparison JSON of DESIGN.md; `periods` are the group's selectable periods.

    `narrative` (the panel's, national and SPC sentences included) replaces the table's;
    `national` and `spc` add the national context and the quarterly chart (null without).
    """
    comparison = table.comparison
    focus = comparison.focus_row
    return {
        "group": {"name": table.group.name, "focus": table.group.focus.label},
        "period": {"slug": table.period.slug, "label": table.period.label},
        "category": table.category,
        "msg_average": number(comparison.msg_average),
        "std_dev": number(comparison.std_dev),
        "rows": [row_json(row) for row in comparison.rows],
        "focus": (
            row_json(focus) | {"previous_position": comparison.previous_position} if focus else None
        ),
        "narrative": narrative if narrative is not None else table.narrative,
        "periods": [{"slug": p.slug, "label": p.label} for p in periods],
        "msg_average_change": {
            "change": number(comparison.msg_average_change),
            "change_pct": number(comparison.msg_average_change_pct),
            "members_in_both_periods": comparison.matched_count
            if comparison.has_previous
            else None,
        },
        "national": national_json(national),
        "spc": spc_json(spc),
    }


def comparison_sheet(table: ComparisonTable) -> tuple[list[str], list[list[Cell]]]:
    """Return the header and rows of the table for a CSV or Excel download."""
    comparison = table.comparison
    labels = [column.period.label for column in table.columns]
    header = [
        "CSP", *labels, "Offences", "Population", "95% CI lower", "95% CI upper",
        "Position", "Joint", "Position could be from", "Position could be to",
        "Change", "Change %", "Change p-value", "Real change?", "Band",
    ]  # fmt: skip
    rows: list[list[Cell]] = []
    for line in table.rows:
        row = line.row
        no_count = "no count: no interval" if row.rate is not None else None
        rows.append(
            [
                row.csp,
                *line.rates,
                row.offences,
                row.population,
                rounded(row.lower) if row.lower is not None else no_count,
                rounded(row.upper),
                row.position,
                "joint" if row.joint else "",
                row.rank_low,
                row.rank_high,
                rounded(row.change),
                rounded(row.change_pct),
                None if row.change_p is None else round(row.change_p, 6),
                row.verdict or ("not tested" if row.change is not None else None),
                row.band or "no figure",
            ]
        )
    averages = [rounded(column.comparison.msg_average) for column in table.columns]
    spreads = [rounded(column.comparison.std_dev) for column in table.columns]
    average_changes = [
        rounded(comparison.msg_average_change),
        rounded(comparison.msg_average_change_pct),
    ]
    blank = [None, None, None, None]
    rows.append(
        ["MSG average", *averages, *blank, None, "", None, None, *average_changes, None,
         "not tested", ""]
    )  # fmt: skip
    rows.append(
        ["Standard deviation (population)", *spreads, *blank, None, "", None, None, None,
         None, None, None, ""]
    )  # fmt: skip
    return header, rows
