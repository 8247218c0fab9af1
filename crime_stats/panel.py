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
from crime_stats.display import precision, shown
from crime_stats.narrative import (
    average_change_line,
    focus_change_line,
    ordinal,
    place,
    position_movement,
    rank_range_words,
)
from crime_stats.national import ADJUSTED, FUNNEL_METHODS, NationalContext, national_context
from crime_stats.query_string import Selection, selection_from
from crime_stats.selectors import ComparisonTable, comparison_table
from crime_stats.variation import Spc, focus_spc
from crime_stats.variation_charts import funnel_chart, spc_chart


@dataclass(frozen=True)
class CrimePanel:
    """The focus CSP's headline figures, charts and narrative for one group, period, category."""

    selection: Selection
    band_method: str = BAND_METHOD
    funnel_method: str = ADJUSTED  # or POISSON: how the funnel's limits are drawn

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

    def precision(self):
        """Return a context in which figures are written as this table writes them (one
        decimal place, or two for a category whose rates are all under 10 per 1,000)."""
        return precision(self.table.places)

    @cached_property
    def national(self) -> NationalContext | None:
        """Return the national context (position among all CSPs, funnel), or None when only
        the group's members have figures (one query)."""
        selection = self.selection
        return national_context(
            period=selection.period,
            category=selection.category,
            focus=selection.group.focus.label,
            members={row.csp: row.shown_rate for row in self.table.comparison.rows},
            method=self.funnel_method,
        )

    @cached_property
    def funnel_chart(self) -> dict | None:
        """Return the funnel plot of every CSP with a count, or None without national data."""
        national = self.national
        if national is None:
            return None
        return funnel_chart(
            national,
            title=f"{self.selection.category}: every CSP's rate against its population, "
            f"{self.selection.period.label}",
        )

    @cached_property
    def spc(self) -> Spc | None:
        """Return the XmR chart of the focus CSP's quarterly rates, or None without quarters."""
        selection = self.selection
        focus = self.focus
        shown_as = {selection.period.pk: focus.shown_rate} if focus and focus.rate else {}
        return focus_spc(
            selection.group.focus, selection.category, selection.period.end, shown_as=shown_as
        )

    @cached_property
    def spc_chart(self) -> dict | None:
        """Return the drawn XmR chart, or None."""
        spc = self.spc
        if spc is None:
            return None
        return spc_chart(
            spc,
            title=f"{self.selection.category}: {spc.csp}, crimes per 1,000 by quarter",
        )

    @property
    def national_place(self) -> str | None:
        """Return the focus CSP's national position in words: `12th of 30 CSPs`."""
        national = self.national
        if national is None or national.position is None:
            return None
        return f"{place(national.position, national.joint)} of {national.ranked} CSPs"

    @property
    def national_range(self) -> str:
        """Return the plausible range of the national position (`could be 8th–14th`), or ""."""
        national = self.national
        if national is None or national.rank_low is None:
            return ""
        if national.rank_low == national.rank_high:
            return "no other position is plausible"
        return f"could be {ordinal(national.rank_low)}–{ordinal(national.rank_high)}"

    @property
    def place_range(self) -> str:
        """Return the focus CSP's plausible range of MSG positions in words, or ""."""
        focus = self.focus
        return rank_range_words(focus) if focus else ""

    @property
    def narrative(self) -> list[str]:
        """Return the headline sentences: the table's, then national context and the XmR
        chart's verdict on the latest quarter where those exist."""
        sentences = list(self.table.narrative)
        national = self.national
        focus = self.focus
        if national is not None and national.position is not None and focus is not None:
            chance = f"allowing for chance, {self.national_range}; " if self.national_range else ""
            rate = (
                f"; the national rate was {shown(national.funnel.national_rate)}"
                if national.funnel
                else ""
            )
            sentences.append(
                f"Nationally, {focus.name} was {self.national_place} in England and Wales with "
                f"figures for {self.selection.category} in {self.selection.period.label} "
                f"({chance}position 1 is the highest rate{rate})."
            )
        if self.spc is not None:
            sentences.append(self.spc.latest)
        return sentences

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
    def focus_change(self) -> str:
        """Return the line under the focus CSP's rate: its change, or what is missing."""
        table = self.table
        previous = table.current.previous_period
        return focus_change_line(
            table.comparison,
            focus_name=table.group.focus.name,
            period=table.period.label,
            previous_period=previous.label if previous else None,
        )

    @property
    def average_change(self) -> str:
        """Return the line under the MSG average: its like-for-like change, or why none."""
        previous = self.table.current.previous_period
        return average_change_line(
            self.table.comparison, previous_period=previous.label if previous else None
        )

    @property
    def movement(self) -> str | None:
        """Return how the position moved, `1 place worse`, or None without a previous period."""
        focus = self.focus
        return position_movement(
            self.table.comparison.previous_position, focus.position if focus else None
        )


def crime_panel(query: QueryDict) -> CrimePanel:
    """Return the panel for the group, period and category in `query` (raises NotFound);
    `funnel=poisson` draws the funnel without the over-dispersion adjustment."""
    method = query.get("funnel", ADJUSTED)
    return CrimePanel(
        selection=selection_from(query),
        funnel_method=method if method in FUNNEL_METHODS else ADJUSTED,
    )
