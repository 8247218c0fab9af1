"""The MSG comparison engine: pure functions over plain rows, no database.

DESIGN.md fixes the definitions these functions implement:

- MSG average: the arithmetic mean of the members' rates, the focus CSP included;
- spread: the standard deviation of the members' rates, population form;
- position: 1 = the highest rate; ties share the best position and the next one skips
  (competition ranking 1, 2, 2, 4), decided on the stored Decimal values;
- band: "above" ("below") when a rate lies more than one standard deviation above (below)
  the MSG average, otherwise "in line";
- change: absolute and percentage change against the previous comparable period.

A member without a figure is kept in the rows (flagged `missing`) but left out of every
calculation, so the rest of the group is still compared.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

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
    """One member CSP's rate in one period: `csp` is its `Force - CSP` label, `name` its name."""

    csp: str
    rate: Decimal | None
    name: str = ""

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

    @property
    def missing(self) -> bool:
        """Return True when the member has no figure for the period."""
        return self.rate is None


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
) -> Comparison:
    """Return the comparison of `members` (the group as it stood in the period).

    `previous` is the group as it stood in the previous comparable period, with that period's
    rates, or None when there is no such period (every change is then None). `previous_rates`
    may add the previous rates of CSPs that were not members then, so that a CSP that joined
    still shows how its own rate changed; by default the previous group's rates are used.
    """
    current = _ranked(members)
    average, spread = current.average, current.spread
    before = _ranked(previous) if previous is not None else None
    earlier_rates: dict[str, Decimal | None] = {}
    if previous is not None:
        earlier_rates = {member.csp: member.rate for member in previous}
        earlier_rates.update(previous_rates or {})

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
            )
        )
    rows.sort(key=_row_order)

    comparison = Comparison(focus=focus, rows=rows, msg_average=average, std_dev=spread)
    if before is None:
        return comparison
    average_change, average_change_pct = change(average, before.average)
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
