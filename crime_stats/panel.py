"""One selection's comparison ready for a page: table, headline figures, charts, narrative.

The comparison page, the chair's dashboard and the board pack show a `CrimePanel`. Its table
and charts are worked out only when first used.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.http import QueryDict

from crime_stats.charts import focus_trend_chart, table_bar_chart
from crime_stats.comparison import BAND_METHOD, ComparisonRow
from crime_stats.narrative import place, position_movement
from crime_stats.query_string import Selection, selection_from
from crime_stats.selectors import ComparisonTable, comparison_table


@dataclass(frozen=True)
class CrimePanel:
    """The focus CSP's headline figures, charts and narrative for one group, period, category."""

    selection: Selection
    band_method: str = BAND_METHOD

    @cached_property
    def table(self) -> ComparisonTable:
        """Return the plan-style table of the selection (three queries, on first use)."""
        selection = self.selection
        return comparison_table(selection.group, selection.period, selection.category)

    @cached_property
    def bar_chart(self) -> dict | None:
        """Return the ranked bar chart of the period (built only when a page shows it)."""
        return table_bar_chart(self.table)

    @property
    def bar_chart_label(self) -> str:
        """Return the ranked bar chart's accessible label."""
        return (
            f"Bar chart of each CSP's crimes per 1,000 in {self.selection.period.label}, "
            "highest first, with the MSG average and its band marked"
        )

    @cached_property
    def trend_chart(self) -> dict | None:
        """Return the focus CSP's trend chart up to the period."""
        return focus_trend_chart(
            self.table.trend, focus_label=self.table.group.focus.label, category=self.table.category
        )

    @property
    def focus(self) -> ComparisonRow | None:
        """Return the focus CSP's row in the chosen period."""
        return self.table.comparison.focus_row

    @property
    def place(self) -> str | None:
        """Return the focus CSP's position in words, `joint 10th`."""
        focus = self.focus
        if focus is None or focus.position is None:
            return None
        return place(focus.position, focus.joint)

    @property
    def previous_place(self) -> str | None:
        """Return the focus CSP's position in the previous comparable period, in words."""
        comparison = self.table.comparison
        if comparison.previous_position is None:
            return None
        return place(comparison.previous_position, comparison.previous_joint)

    @property
    def movement(self) -> str | None:
        """Return how the position moved, `1 place worse`, or None without a previous period."""
        focus = self.focus
        return position_movement(
            self.table.comparison.previous_position, focus.position if focus else None
        )


def crime_panel(query: QueryDict) -> CrimePanel:
    """Return the panel for the group, period and category in `query` (raises NotFound)."""
    return CrimePanel(selection=selection_from(query))
