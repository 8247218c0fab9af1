"""The MSG comparison engine: pure functions over plain rows, no database.

DESIGN.md fixes the definitions these functions implement:

- MSG average: the arithmetic mean of the members' rates, the focus CSP included;
- spread: the standard deviation of the members' rates, population form;
- position: 1 = the highest rate; ties share the best position and the next one skips
  (competition ranking 1, 2, 2, 4), decided on the stored Decimal values;
- band: "above" ("below") when a rate lies more than one standard deviation above (below)
  the MSG average, otherwise "in line";
- change: absolute and percentage change against the previous comparable period; the MSG
  average's change is worked out over the members with a figure in both periods, so a member
  missing from one of them does not move it.

A member without a figure is kept in the rows (flagged `missing`) but left out of every
calculation, so the rest of the group is still compared.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from crime_stats.display import rate_labels
from crime_stats.uncertainty import with_uncertainty

ABOVE = "above"
BELOW = "below"
IN_LINE = "in line"
BAND_METHOD = (
    "above/below: more than one standard deviation (population) from the MSG average; "
    "otherwise in line"
)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class MemberRate:
    """One member CSP's rate in one period: `csp` is its `Force - CSP` label, `name` its name,
    and, where the figure came with them, its offence count and population."""

    csp: str
    rate: Decimal | None
    name: str = ""
    offences: int | None = None
    population: int | None = None

    @property
    def short_name(self) -> str:
        """Return the CSP's own name, or its label when no name was given."""
        return self.name or self.csp


@dataclass(frozen=True)
class ComparisonRow:
    """One member's figures in a comparison; every derived value is None when `rate` is."""

    csp: str
    name: str
    rate: Decimal | None
    position: int | None
    joint: bool
    band: str | None
    previous_rate: Decimal | None
    change: Decimal | None
    change_pct: Decimal | None
    is_focus: bool
    shown_rate: str = "–"  # the rate as every table, chart and sentence writes it
    # Uncertainty (crime_stats.uncertainty), None where the figure has no offence count:
    offences: int | None = None
    population: int | None = None
    lower: Decimal | None = None  # 95% confidence interval of the rate
    upper: Decimal | None = None
    change_p: float | None = None  # p-value of the test that the rate did not change
    verdict: str | None = None  # "real rise", "real fall" or "no significant change"
    rank_low: int | None = None  # plausible range of positions (95% of simulated draws)
    rank_high: int | None = None

    @property
    def missing(self) -> bool:
        """Return True when the member has no figure for the period."""
        return self.rate is None

    @property
    def has_interval(self) -> bool:
        """Return True when the rate came with a count, so it has a confidence interval."""
        return self.lower is not None


@dataclass(frozen=True)
class Comparison:
    """A group's comparison for one period and category, against its previous comparable period.

    `rows` are ordered by position (highest rate first), then label; members without a figure
    come last. `previous_*` and every `change` are None when there is no previous period.
    """

    focus: str
    rows: list[ComparisonRow]
    msg_average: Decimal | None
    std_dev: Decimal | None
    has_previous: bool = False
    previous_msg_average: Decimal | None = None
    previous_position: int | None = None
    previous_joint: bool = False
    msg_average_change: Decimal | None = None
    msg_average_change_pct: Decimal | None = None
    # The average's change compares like with like: the members with a figure in both periods.
    # `matched_*` are those members' averages; `matched_count` how many they are.
    matched_count: int = 0
    matched_previous_average: Decimal | None = None
    matched_average: Decimal | None = None

    @property
    def change_is_like_for_like(self) -> bool:
        """Return True when the average's change was worked out on fewer members than the
        averages shown for the two periods (a member had a figure in only one of them)."""
        return self.has_previous and (
            self.matched_average != self.msg_average
            or self.matched_previous_average != self.previous_msg_average
        )

    @property
    def has_intervals(self) -> bool:
        """Return True when any member's rate came with an offence count (and an interval)."""
        return any(row.has_interval for row in self.rows)

    @property
    def has_rank_ranges(self) -> bool:
        """Return True when positions have plausible ranges (every counted rate has a count)."""
        return any(row.rank_low is not None for row in self.rows)

    @property
    def shows_finer_rates(self) -> bool:
        """Return True when some rates are shown to a further decimal place to explain a tie."""
        return len({len(row.shown_rate.partition(".")[2]) for row in self.counted}) > 1

    @property
    def focus_row(self) -> ComparisonRow | None:
        """Return the focus CSP's row, or None when the focus is not a member in this period."""
        return next((row for row in self.rows if row.is_focus), None)

    @property
    def counted(self) -> list[ComparisonRow]:
        """Return the rows that have a figure: the ones the average, spread and positions use."""
        return [row for row in self.rows if row.rate is not None]

    @property
    def missing(self) -> list[str]:
        """Return the labels of members without a figure in this period."""
        return [row.csp for row in self.rows if row.rate is None]

    @property
    def fewer_than_focus(self) -> list[ComparisonRow]:
        """Return the members with fewer crimes per 1,000 than the focus CSP, lowest rate first."""
        focus = self.focus_row
        if focus is None or focus.rate is None:
            return []
        lower = [row for row in self.counted if row.rate < focus.rate]
        return sorted(lower, key=lambda row: (row.rate, row.csp))

    def joint_with(self, csp: str) -> list[ComparisonRow]:
        """Return the other members that share `csp`'s position."""
        row = next((r for r in self.rows if r.csp == csp), None)
        if row is None or row.position is None:
            return []
        return [r for r in self.rows if r.position == row.position and r.csp != csp]


def msg_average(rates: Sequence[Decimal]) -> Decimal | None:
    """Return the arithmetic mean of the rates, or None when there are none."""
    if not rates:
        return None
    return sum(rates, Decimal(0)) / len(rates)


def standard_deviation(rates: Sequence[Decimal]) -> Decimal | None:
    """Return the population standard deviation of the rates, or None when there are none."""
    average = msg_average(rates)
    if average is None:
        return None
    variance = sum(((rate - average) ** 2 for rate in rates), Decimal(0)) / len(rates)
    return variance.sqrt()


def positions(rates: Mapping[str, Decimal]) -> dict[str, int]:
    """Return each CSP's position: 1 = highest rate, ties share the best and the next skips."""
    ordered = sorted(rates.values(), reverse=True)
    # The position of a rate is one more than the number of strictly higher rates.
    first_index: dict[Decimal, int] = {}
    for index, rate in enumerate(ordered):
        first_index.setdefault(rate, index + 1)
    return {csp: first_index[rate] for csp, rate in rates.items()}


def band(rate: Decimal, average: Decimal, std_dev: Decimal) -> str:
    """Return "above", "below" or "in line": more than one standard deviation from the average."""
    if rate > average + std_dev:
        return ABOVE
    if rate < average - std_dev:
        return BELOW
    return IN_LINE


def change(rate: Decimal | None, previous: Decimal | None) -> tuple[Decimal | None, Decimal | None]:
    """Return (absolute, percentage) change from `previous` to `rate`; None where undefined.

    The percentage is None when the previous value is zero, since no growth rate exists.
    """
    if rate is None or previous is None:
        return None, None
    difference = rate - previous
    percentage = difference / previous * HUNDRED if previous else None
    return difference, percentage


def compare(
    *,
    focus: str,
    members: Sequence[MemberRate],
    previous: Sequence[MemberRate] | None = None,
    previous_rates: Mapping[str, Decimal | None] | None = None,
    previous_counts: Mapping[str, tuple[int | None, int | None]] | None = None,
    uncertainty: bool = True,
) -> Comparison:
    """Return the comparison of `members` (the group as it stood in the period).

    `previous` is the group as it stood in the previous comparable period, with that period's
    rates, or None when there is no such period (every change is then None). `previous_rates`
    may add the previous rates of CSPs that were not members then, so that a CSP that joined
    still shows how its own rate changed; by default the previous group's rates are used.
    `previous_counts` does the same for their (offences, population), which the change test
    needs. `uncertainty=False` skips intervals, tests and position ranges (an earlier column of
    a table needs only its rates and average).
    """
    current = _ranked(members)
    average, spread = current.average, current.spread
    before = _ranked(previous) if previous is not None else None
    earlier_rates: dict[str, Decimal | None] = {}
    if previous is not None:
        earlier_rates = {member.csp: member.rate for member in previous}
        earlier_rates.update(previous_rates or {})

    labels = rate_labels(
        (member.csp, member.rate, current.positions.get(member.csp)) for member in members
    )
    rows = []
    for member in members:
        rate = member.rate
        earlier = earlier_rates.get(member.csp)
        difference, percentage = change(rate, earlier)
        position = current.positions.get(member.csp)
        rows.append(
            ComparisonRow(
                csp=member.csp,
                name=member.short_name,
                rate=rate,
                position=position,
                joint=position is not None and current.shared[position] > 1,
                band=band(rate, average, spread) if rate is not None else None,
                previous_rate=earlier,
                change=difference,
                change_pct=percentage,
                is_focus=member.csp == focus,
                shown_rate=labels[member.csp],
            )
        )
    if uncertainty:
        counts_now = {member.csp: (member.offences, member.population) for member in members}
        counts_then = {}
        if previous is not None:
            counts_then = {m.csp: (m.offences, m.population) for m in previous}
            counts_then.update(previous_counts or {})
        rows = with_uncertainty(rows, counts_now, counts_then)
    rows.sort(key=_row_order)

    comparison = Comparison(focus=focus, rows=rows, msg_average=average, std_dev=spread)
    if before is None:
        return comparison
    then = {member.csp: member.rate for member in previous if member.rate is not None}
    matched = [row for row in rows if row.rate is not None and row.csp in then]
    matched_average = msg_average([row.rate for row in matched])
    matched_previous = msg_average([then[row.csp] for row in matched])
    average_change, average_change_pct = change(matched_average, matched_previous)
    previous_position = before.positions.get(focus)
    return Comparison(
        focus=focus,
        rows=rows,
        msg_average=average,
        std_dev=spread,
        has_previous=True,
        previous_msg_average=before.average,
        previous_position=previous_position,
        previous_joint=previous_position is not None and before.shared[previous_position] > 1,
        msg_average_change=average_change,
        msg_average_change_pct=average_change_pct,
        matched_count=len(matched),
        matched_previous_average=matched_previous,
        matched_average=matched_average,
    )


@dataclass(frozen=True)
class _Ranking:
    average: Decimal | None
    spread: Decimal | None
    positions: dict[str, int]
    shared: dict[int, int]  # position -> how many members hold it


def _ranked(members: Sequence[MemberRate]) -> _Ranking:
    rates = {member.csp: member.rate for member in members if member.rate is not None}
    ranks = positions(rates)
    shared: dict[int, int] = {}
    for position in ranks.values():
        shared[position] = shared.get(position, 0) + 1
    values = list(rates.values())
    return _Ranking(msg_average(values), standard_deviation(values), ranks, shared)


def _row_order(row: ComparisonRow) -> tuple:
    return (row.position is None, row.position or 0, row.csp)
