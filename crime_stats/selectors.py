"""Reads of crime figures for the comparison pages, in a fixed number of queries.

The database work stops here: each selector fetches the group's memberships and the figures
it needs in one query each, then hands plain rows to the pure engine in
`crime_stats.comparison`. The dashboard, the comparison page and the board pack call
`comparison_table(group, period, category)`: one period against its previous comparable period,
every earlier period of the same span (the plan's table, and the trend) and the headline
sentences.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from crime_stats.comparison import Comparison, ComparisonRow, MemberRate, compare
from crime_stats.display import ONE_PLACE, places_for, precision
from crime_stats.models import (
    ALL_CRIME,
    CSP,
    ComparisonGroup,
    CrimeFigure,
    GroupMembership,
    ReportingPeriod,
)
from crime_stats.narrative import headline


@dataclass(frozen=True)
class PeriodComparison:
    """A group's comparison in `period`, against `previous_period` (None when there is none)."""

    period: ReportingPeriod
    previous_period: ReportingPeriod | None
    comparison: Comparison


@dataclass(frozen=True)
class TableRow:
    """One CSP of the plan's table: its row in the chosen period and its rate in every column.

    `member_then[i]` is False where the CSP was not in the group in column i's period, so its
    rate there did not count towards that period's MSG average.
    """

    row: ComparisonRow
    rates: list[Decimal | None]
    member_then: list[bool]


@dataclass(frozen=True)
class ComparisonTable:
    """The plan-style table for one group, period and category, with its headline sentences."""

    group: ComparisonGroup
    category: str
    current: PeriodComparison
    columns: list[PeriodComparison]  # every period of the same span up to `current`, oldest first
    rows: list[TableRow]
    narrative: list[str]
    places: Decimal = ONE_PLACE  # how its figures are written (crime_stats.display.precision)

    @property
    def period(self) -> ReportingPeriod:
        """Return the chosen period."""
        return self.current.period

    @property
    def comparison(self) -> Comparison:
        """Return the chosen period's comparison."""
        return self.current.comparison

    @property
    def trend(self) -> list[TrendPoint]:
        """Return the focus CSP's rate, the MSG average and the spread in every column."""
        return [_trend_point(column) for column in self.columns]

    @property
    def has_outsiders(self) -> bool:
        """Return True when a row shows a rate from a period its CSP was not a member in."""
        return any(False in row.member_then for row in self.rows)


@dataclass(frozen=True)
class TrendPoint:
    """The focus CSP's rate, the MSG average and the spread in one period (None when unknown)."""

    period: ReportingPeriod
    focus_rate: Decimal | None
    msg_average: Decimal | None
    std_dev: Decimal | None

    @property
    def band_low(self) -> Decimal | None:
        """Return the bottom of the band: the MSG average less one standard deviation."""
        return None if self.msg_average is None else self.msg_average - self.std_dev

    @property
    def band_high(self) -> Decimal | None:
        """Return the top of the band: the MSG average plus one standard deviation."""
        return None if self.msg_average is None else self.msg_average + self.std_dev


def same_span(period: ReportingPeriod, periods: Sequence[ReportingPeriod]) -> list[ReportingPeriod]:
    """Return the periods of `period`'s span (April–December, a full year …), oldest first."""
    return sorted((p for p in periods if p.span == period.span), key=lambda p: p.start)


def previous_comparable(
    period: ReportingPeriod, periods: Sequence[ReportingPeriod]
) -> ReportingPeriod | None:
    """Return the period of the same span one year earlier, or None when it is not loaded.

    Only the year before counts: a change over two years would read as last year's change.
    """
    return next(
        (p for p in periods if p.span == period.span and p.start.year == period.start.year - 1),
        None,
    )


def group_periods(group: ComparisonGroup, category: str = ALL_CRIME) -> list[ReportingPeriod]:
    """Return the periods with a `category` figure for any CSP ever in the group, oldest first."""
    return list(
        ReportingPeriod.objects.filter(
            figures__category=category, figures__csp__memberships__group=group
        )
        .distinct()
        .order_by("start", "end")
    )


def period_categories(period: ReportingPeriod) -> list[str]:
    """Return the crime categories with figures in `period`, `All crime` first."""
    categories = set(
        CrimeFigure.objects.filter(period=period).values_list("category", flat=True).distinct()
    )
    return sorted(categories, key=lambda name: (name != ALL_CRIME, name))


@dataclass(frozen=True)
class _GroupFigures:
    """A group's memberships and its CSPs' rates in some periods: what the engine needs."""

    group: ComparisonGroup
    memberships: list[GroupMembership]
    # (CSP id, period id) -> (rate, offences, population); the counts are None where unknown
    figures: dict[tuple[int, int], tuple[Decimal, int | None, int | None]]

    @classmethod
    def fetch(
        cls, group: ComparisonGroup, periods: Sequence[ReportingPeriod], category: str
    ) -> _GroupFigures:
        """Return the group's memberships and figures in two queries."""
        memberships = list(GroupMembership.objects.filter(group=group).select_related("csp"))
        figures = CrimeFigure.objects.filter(
            period__in=[p.pk for p in periods],
            category=category,
            csp__in={m.csp_id for m in memberships},
        ).values_list("csp_id", "period_id", "rate", "offences", "population")
        return cls(group, memberships, {(c, p): (r, o, n) for c, p, r, o, n in figures})

    @property
    def csps(self) -> dict[int, CSP]:
        """Return every CSP that has ever been a member, by id."""
        return {m.csp_id: m.csp for m in self.memberships}

    def members(self, period: ReportingPeriod) -> list[MemberRate]:
        """Return the members on the period's first day with their rates (None when missing)."""
        csps = self.csps
        ids = sorted({m.csp_id for m in self.memberships if m.covers(period.start)})
        return [_member(csps[i], self.figures.get((i, period.pk))) for i in ids]

    def rate(self, csp: CSP, period: ReportingPeriod) -> Decimal | None:
        """Return the CSP's rate in the period, member or not."""
        figure = self.figures.get((csp.pk, period.pk))
        return figure[0] if figure else None

    def counts(self, csp: CSP, period: ReportingPeriod) -> tuple[int | None, int | None]:
        """Return the CSP's (offences, population) in the period, None where unknown."""
        figure = self.figures.get((csp.pk, period.pk))
        return (figure[1], figure[2]) if figure else (None, None)

    def compare(
        self,
        period: ReportingPeriod,
        known_periods: Sequence[ReportingPeriod],
        *,
        uncertainty: bool = True,
    ) -> PeriodComparison:
        """Return the period's comparison against the year before, each with its own group;
        `uncertainty=False` leaves out intervals, tests and position ranges."""
        before = previous_comparable(period, known_periods)
        comparison = compare(
            focus=self.group.focus.label,
            members=self.members(period),
            previous=self.members(before) if before else None,
            previous_rates=(
                {csp.label: self.rate(csp, before) for csp in self.csps.values()}
                if before
                else None
            ),
            previous_counts=(
                {csp.label: self.counts(csp, before) for csp in self.csps.values()}
                if before and uncertainty
                else None
            ),
            uncertainty=uncertainty,
        )
        return PeriodComparison(period, before, comparison)


def comparison_table(
    group: ComparisonGroup, period: ReportingPeriod, category: str = ALL_CRIME
) -> ComparisonTable:
    """Return the plan's table for `period`: its members' rates in every earlier period of the
    same span, each column's MSG average, and the chosen period's positions, changes, bands and
    headline sentences. Three queries whatever the number of CSPs.
    """
    known = list(ReportingPeriod.objects.all())
    spans = [p for p in same_span(period, known) if p.start <= period.start]
    figures = _GroupFigures.fetch(group, spans, category)
    places = places_for(figure[0] for figure in figures.figures.values())
    with precision(places):
        return _table(group, period, category, known, spans, figures, places)


def _table(
    group: ComparisonGroup,
    period: ReportingPeriod,
    category: str,
    known: list[ReportingPeriod],
    spans: list[ReportingPeriod],
    figures: _GroupFigures,
    places: Decimal,
) -> ComparisonTable:
    # Only the chosen period shows intervals, tests and position ranges; earlier columns show
    # their rates and averages.
    columns = [figures.compare(column, known, uncertainty=column == period) for column in spans]
    current = columns[-1]
    members_by_column = [{row.csp for row in c.comparison.rows} for c in columns]
    csps = {csp.label: csp for csp in figures.csps.values()}
    rows = [
        TableRow(
            row=row,
            rates=[figures.rate(csps[row.csp], column) for column in spans],
            member_then=[row.csp in members for members in members_by_column],
        )
        for row in current.comparison.rows
    ]
    previous = current.previous_period
    narrative = headline(
        current.comparison,
        period=period.label,
        previous_period=previous.label if previous else None,
        category=category,
    )
    return ComparisonTable(group, category, current, columns, rows, narrative, places)


def _trend_point(column: PeriodComparison) -> TrendPoint:
    focus = column.comparison.focus_row
    return TrendPoint(
        period=column.period,
        focus_rate=focus.rate if focus else None,
        msg_average=column.comparison.msg_average,
        std_dev=column.comparison.std_dev,
    )


def _member(csp: CSP, figure: tuple[Decimal, int | None, int | None] | None) -> MemberRate:
    if figure is None:
        return MemberRate(csp=csp.label, rate=None, name=csp.name)
    rate, offences, population = figure
    return MemberRate(
        csp=csp.label, rate=rate, name=csp.name, offences=offences, population=population
    )
