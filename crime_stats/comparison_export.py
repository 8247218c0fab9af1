"""The comparison table as the DESIGN.md JSON document and as spreadsheet rows."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from crime_stats.comparison import ComparisonRow
from crime_stats.models import ReportingPeriod
from crime_stats.selectors import ComparisonTable
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
    """Return one CSP's row as DESIGN.md's comparison JSON writes it."""
    return {
        "csp": row.csp,
        "rate": number(row.rate),
        "position": row.position,
        "joint": row.joint,
        "change": number(row.change),
        "change_pct": number(row.change_pct),
        "band": row.band,
    }


def comparison_json(table: ComparisonTable, periods: list[ReportingPeriod]) -> dict[str, Any]:
    """Return the comparison JSON of DESIGN.md; `periods` are the group's selectable periods."""
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
        "narrative": table.narrative,
        "periods": [{"slug": p.slug, "label": p.label} for p in periods],
    }


def comparison_sheet(table: ComparisonTable) -> tuple[list[str], list[list[Cell]]]:
    """Return the header and rows of the table for a CSV or Excel download."""
    comparison = table.comparison
    labels = [column.period.label for column in table.columns]
    header = ["CSP", *labels, "Position", "Joint", "Change", "Change %", "Band"]
    rows: list[list[Cell]] = []
    for line in table.rows:
        row = line.row
        rows.append(
            [
                row.csp,
                *line.rates,
                row.position,
                "joint" if row.joint else "",
                rounded(row.change),
                rounded(row.change_pct),
                row.band or "no figure",
            ]
        )
    averages = [rounded(column.comparison.msg_average) for column in table.columns]
    spreads = [rounded(column.comparison.std_dev) for column in table.columns]
    average_changes = [
        rounded(comparison.msg_average_change),
        rounded(comparison.msg_average_change_pct),
    ]
    rows.append(["MSG average", *averages, None, "", *average_changes, ""])
    rows.append(["Standard deviation (population)", *spreads, None, "", None, None, ""])
    return header, rows
