"""The headline sentences a chair would write about the focus CSP, from the comparison alone."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from crime_stats.comparison import ABOVE, BELOW, Comparison, ComparisonRow
from crime_stats.display import (
    NO_SIGNIFICANT_CHANGE,
    REAL_FALL,
    REAL_RISE,
    direction,
    magnitude,
    no_change,
    places_words,
    rounded,
    rounds_to_zero,
    shown,
    signed,
)


def one_dp(value: Decimal) -> str:
    """Return the value rounded half-up to one decimal place (as the plan prints figures), or to
    the places of the table being written (crime_stats.display.precision)."""
    return shown(value)


def ordinal(number: int) -> str:
    """Return 1st, 2nd, 3rd, 4th … 11th, 12th, 13th … 21st."""
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def place(position: int, joint: bool) -> str:
    """Return a position as words: `11th` or `joint 10th`."""
    return f"joint {ordinal(position)}" if joint else ordinal(position)


def names(rows: list[ComparisonRow]) -> str:
    """Return the CSPs' names joined as in prose: `A`, `A and B`, `A, B and C`."""
    parts = [row.name for row in rows]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def headline(
    comparison: Comparison,
    *,
    period: str,
    previous_period: str | None,
    category: str,
) -> list[str]:
    """Return the headline sentences for the focus CSP in `period` (a label such as
    `April–December 2018`), compared with `previous_period` where there is one."""
    focus = comparison.focus_row
    if focus is None:
        return [f"The focus CSP was not a member of the group in {period}."]
    if focus.rate is None:
        return [f"There is no {category} figure for {focus.name} in {period}."] + _missing(
            comparison
        )
    sentences = [
        _rate(focus, period, previous_period, category),
        _position(comparison, focus, previous_period),
        _fewer(comparison, focus),
    ]
    against_average = _against_average(comparison, focus)
    if against_average:
        sentences.append(against_average)
    sentences.append(_band(comparison, focus))
    if focus.lower is None:
        sentences.append(NO_COUNTS)
    return sentences + _missing(comparison)


NO_COUNTS = (
    "These figures were loaded as rates without offence counts, so no confidence interval can "
    "be given and no change can be tested against chance."
)


def interval_words(row: ComparisonRow) -> str:
    """Return `95% confidence interval 90.1 to 94.9`, or "" without an offence count."""
    if row.lower is None:
        return ""
    return f"95% confidence interval {shown(row.lower)} to {shown(row.upper)}"


SIGNIFICANCE_WORDS = {
    REAL_RISE: "a real rise: significant at the 95% level, not chance",
    REAL_FALL: "a real fall: significant at the 95% level, not chance",
    NO_SIGNIFICANT_CHANGE: "no significant change: within what chance alone would give",
}


def _rate(focus: ComparisonRow, period: str, previous_period: str | None, category: str) -> str:
    interval = interval_words(focus)
    opening = (
        f"In {period}, {focus.name} recorded {focus.shown_rate} crimes per 1,000 people "
        f"({category}{'; ' + interval if interval else ''})"
    )
    if previous_period is None:
        return f"{opening}; there is no earlier comparable period to compare with."
    if focus.change is None:
        return (
            f"{opening}; there is no figure for {focus.name} in {previous_period} to compare with."
        )
    verdict = f": {SIGNIFICANCE_WORDS[focus.verdict]}" if focus.verdict else ""
    if focus.change == 0:
        return f"{opening}, the same as in {previous_period}{verdict}."
    if rounds_to_zero(focus.change):
        return (
            f"{opening}: {no_change()} from {one_dp(focus.previous_rate)} in {previous_period}"
            f"{verdict}."
        )
    direction = "up" if focus.change > 0 else "down"
    percentage = f" ({one_dp(abs(focus.change_pct))}%)" if focus.change_pct is not None else ""
    return (
        f"{opening}, {direction} {one_dp(abs(focus.change))}{percentage} "
        f"from {one_dp(focus.previous_rate)} in {previous_period}{verdict}."
    )


def rank_range_words(row: ComparisonRow) -> str:
    """Return `could be 8th–12th` (or `clear of chance`), or "" without a range."""
    if row.rank_low is None:
        return ""
    if row.rank_low == row.rank_high:
        return "no other position is plausible"
    return f"could be {ordinal(row.rank_low)}–{ordinal(row.rank_high)}"


def _position(comparison: Comparison, focus: ComparisonRow, previous_period: str | None) -> str:
    counted = len(comparison.counted)
    others = comparison.joint_with(focus.csp)
    where = f"{focus.name} was {place(focus.position, focus.joint)} of {counted}"
    if others:
        where += f" (with {names(others)})"
    if focus.rank_low is not None:
        if focus.rank_low == focus.rank_high:
            where += "; allowing for chance, no other position is plausible"
        else:
            where += f"; allowing for chance, it {rank_range_words(focus)}"
    key = (
        "Position 1 is the highest rate in the group, so a higher position number is better: "
        "more of the group have more crimes per 1,000."
    )
    previous = comparison.previous_position
    if previous is None or previous_period is None:
        return f"{where}. {key}"
    was = place(previous, comparison.previous_joint)
    if previous == focus.position:
        movement = f"the same position as in {previous_period}"
    elif focus.position > previous:
        movement = f"having been {was} in {previous_period}: a higher number, so a better position"
    else:
        movement = f"having been {was} in {previous_period}: a lower number, so a worse position"
    # "Up" and "down" are ambiguous for a ranking where 1 is worst, so the sentence names the
    # direction of the number and says plainly whether that is better.
    return f"{where}, {movement}. {key}"


def _fewer(comparison: Comparison, focus: ComparisonRow) -> str:
    lower = comparison.fewer_than_focus
    if not lower:
        return f"No CSP in the group had fewer crimes per 1,000 than {focus.name}."
    listed = names([_with_rate(row) for row in lower])
    one = len(lower) == 1
    return (
        f"{len(lower)} CSP{'' if one else 's'} had fewer crimes per 1,000 than {focus.name}: "
        f"{listed}."
    )


def _with_rate(row: ComparisonRow) -> ComparisonRow:
    # A copy whose name carries the rate, so `names` lists "Coventry (59.1)".
    return replace(row, name=f"{row.name} ({row.shown_rate})")


def _against_average(comparison: Comparison, focus: ComparisonRow) -> str | None:
    ours, theirs = focus.change_pct, comparison.msg_average_change_pct
    if ours is None or theirs is None:
        return None
    basis = (
        f" over the {comparison.matched_count} CSPs with a figure in both periods"
        if comparison.change_is_like_for_like
        else ""
    )
    average = (
        f"the MSG average's{basis} ({_movement(theirs)}, from "
        f"{one_dp(comparison.matched_previous_average)} to {one_dp(comparison.matched_average)})"
    )
    if ours == theirs:
        return f"{focus.name}'s rate changed in step with {average}."
    if rounded(ours) == rounded(theirs):
        # Shown to one decimal place the two changes are equal: a verdict would rest on
        # digits the reader cannot see.
        return (
            f"{focus.name}'s change ({_movement(ours)}) was the same at {places_words()} as "
            f"{average}."
        )
    if ours < theirs:
        verdict = "below"
        better = "better than the group as a whole"
    else:
        verdict = "above"
        better = "worse than the group as a whole"
    return (
        f"{focus.name}'s change ({_movement(ours)}) was {verdict} {average}: {better}, "
        "since a lower rate is better."
    )


def _movement(percentage: Decimal) -> str:
    if rounds_to_zero(percentage):
        return no_change()
    if percentage > 0:
        return f"a rise of {one_dp(percentage)}%"
    if percentage < 0:
        return f"a fall of {one_dp(-percentage)}%"
    return "no change"


def _band(comparison: Comparison, focus: ComparisonRow) -> str:
    spread = one_dp(comparison.std_dev)
    average = f"the MSG average ({one_dp(comparison.msg_average)})"
    if focus.band == ABOVE:
        return (
            f"{focus.name}'s rate is above its group: more than one standard deviation "
            f"({spread}) above {average}."
        )
    if focus.band == BELOW:
        return (
            f"{focus.name}'s rate is below its group: more than one standard deviation "
            f"({spread}) below {average}."
        )
    return (
        f"{focus.name}'s rate is in line with its group: within one standard deviation "
        f"({spread}) of {average}."
    )


def _missing(comparison: Comparison) -> list[str]:
    if not comparison.missing:
        return []
    missing = [row for row in comparison.rows if row.missing]
    verb = "has" if len(missing) == 1 else "have"
    return [
        f"{names(missing)} {verb} no figure for this period, so the average, spread and "
        f"positions are worked out on the other {len(comparison.counted)} CSPs."
    ]


def position_movement(previous: int | None, current: int | None) -> str | None:
    """Return how the position moved in words a chair can act on, or None when unknown.

    Position 1 is the highest rate, so a higher number is a better place.
    """
    if previous is None or current is None:
        return None
    places = current - previous
    if places == 0:
        return "no change"
    plural = "" if abs(places) == 1 else "s"
    return f"{abs(places)} place{plural} {'better' if places > 0 else 'worse'}"


def focus_change_line(
    comparison: Comparison, *, focus_name: str, period: str, previous_period: str | None
) -> str:
    """Return the headline card's line under the focus CSP's rate: its change, or what is
    missing that stops one being given (no figure now, none then, or no earlier period)."""
    focus = comparison.focus_row
    if focus is None:
        return f"{focus_name} was not a member of the group in {period}"
    if focus.rate is None:
        return f"No figure for {focus.name} in {period}"
    if previous_period is None:
        return "No earlier comparable period is loaded"
    if focus.previous_rate is None:
        return f"No figure for {focus.name} in {previous_period} to compare with"
    return (
        f"{direction(focus.change)} {_change_size(focus.change, focus.change_pct)}"
        f"from {one_dp(focus.previous_rate)} in {previous_period}"
    )


def average_change_line(comparison: Comparison, *, previous_period: str | None) -> str:
    """Return the headline card's line under the MSG average: its change over the members with
    a figure in both periods (saying so when that is not every member), or why there is none."""
    if previous_period is None:
        return "No earlier comparable period is loaded"
    if comparison.msg_average_change is None:
        return f"No member has a figure in both {previous_period} and this period"
    line = (
        f"{direction(comparison.msg_average_change)} "
        f"{_change_size(comparison.msg_average_change, comparison.msg_average_change_pct)}"
        f"from {one_dp(comparison.matched_previous_average)} in {previous_period}"
    )
    if comparison.change_is_like_for_like:
        line += (
            f", over the {comparison.matched_count} CSPs with a figure in both periods "
            f"(their average now: {one_dp(comparison.matched_average)})"
        )
    return line


def _change_size(change: Decimal, change_pct: Decimal | None) -> str:
    if rounds_to_zero(change):
        return ""
    if change_pct is None:
        percentage = ""
    elif rounds_to_zero(change_pct):
        percentage = " (under 0.05%)"
    else:
        percentage = f" ({signed(change_pct, '%')})"
    return f"{magnitude(change)}{percentage} "
