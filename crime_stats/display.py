"""How a figure is written: once, from the stored Decimal, rounded half-up, the same everywhere.

The plan prints rates to one decimal place; so does every table, chart label, hover text,
headline card and sentence of the portal, through these functions. Formatting a binary float
with `f"{x:.1f}"` rounds half-to-even on a value that is not the stored one (92.45 may print
as 92.4 on a chart and 92.5 in its table), so nothing here accepts a float.

A category whose rates are all under 10 per 1,000 (robbery is about 0.4 a quarter) is written
to two decimal places instead, or every CSP would read 0.3 or 0.4 and every change "no change":
`precision(places)` sets the places for everything one page shows of one table, so a page still
writes each number one way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import ROUND_HALF_UP, Decimal

ONE_PLACE = Decimal("0.1")
TWO_PLACES = Decimal("0.01")
STORED_PLACES = Decimal("0.001")
FINER = {ONE_PLACE: TWO_PLACES, TWO_PLACES: STORED_PLACES, STORED_PLACES: STORED_PLACES}
PLACES_WORDS = {ONE_PLACE: "one decimal place", TWO_PLACES: "two decimal places"}
SMALL_RATES = Decimal(10)  # below this, in every period of a table, rates get two places
NO_FIGURE = "–"
NO_CHANGE = "no change at one decimal place"
_places: ContextVar[Decimal] = ContextVar("places", default=ONE_PLACE)


def places_for(rates: Iterable[Decimal | None]) -> Decimal:
    """Return the places a table's rates are written to: one, or two when all are under 10."""
    known = [rate for rate in rates if rate is not None]
    return TWO_PLACES if known and max(known) < SMALL_RATES else ONE_PLACE


@contextmanager
def precision(places: Decimal) -> Iterator[None]:
    """Write every figure to `places` inside the block (one page's view of one table)."""
    token = _places.set(places)
    try:
        yield
    finally:
        _places.reset(token)


def current_places() -> Decimal:
    """Return the places figures are written to here."""
    return _places.get()


def places_words() -> str:
    """Return "one decimal place" or "two decimal places", as figures are written here."""
    return PLACES_WORDS.get(_places.get(), "the places shown")


def no_change() -> str:
    """Return "no change at one decimal place" (or two, as figures are written here)."""
    return f"no change at {places_words()}"


# The words of the test of change (crime_stats.statistics.change_verdict); here so that pages
# can name them without importing scipy.
REAL_RISE = "real rise"
REAL_FALL = "real fall"
NO_SIGNIFICANT_CHANGE = "no significant change"
TIE_NOTE = (
    "shown to two decimal places where two CSPs show the same rate at one decimal place "
    "but hold different positions: positions are decided on the stored rates"
)


def rounded(value: Decimal, places: Decimal | None = None) -> Decimal:
    """Return the value rounded half-up to `places` (as written here), with no negative zero."""
    result = Decimal(value).quantize(places or _places.get(), rounding=ROUND_HALF_UP)
    return result.copy_abs() if result.is_zero() else result


def shown(value: Decimal | None, places: Decimal | None = None) -> str:
    """Return the value as the portal shows it (`92.5`), or `–` for no figure."""
    return NO_FIGURE if value is None else str(rounded(value, places))


def rounds_to_zero(value: Decimal | None) -> bool:
    """Return True when the value is shown as 0.0 (so its sign says nothing)."""
    return value is not None and rounded(value).is_zero()


def signed(value: Decimal | None, suffix: str = "") -> str:
    """Return a change as the plan prints it (`+7.9`, `-7.5`, `+9.3%`); a change that rounds
    to zero reads "no change at one decimal place", never `-0.0`."""
    if value is None:
        return NO_FIGURE
    if rounds_to_zero(value):
        return no_change()
    shown_value = rounded(value)
    return f"{'+' if shown_value > 0 else ''}{shown_value}{suffix}"


def magnitude(value: Decimal | None) -> str:
    """Return the size of a change without its sign (`7.9`), `–` for none."""
    return NO_FIGURE if value is None else str(rounded(Decimal(value).copy_abs()))


def direction(value: Decimal | None) -> str:
    """Return `Up`, `Down` or `No change at one decimal place` for a change (by its shown value)."""
    if value is None:
        return NO_FIGURE
    if rounds_to_zero(value):
        words = no_change()
        return words[0].upper() + words[1:]
    return "Up" if value > 0 else "Down"


def rate_labels(rows: Iterable[tuple[str, Decimal | None, int | None]]) -> dict[str, str]:
    """Return each CSP's rate as shown, given (csp, rate, position) rows.

    Where two CSPs show the same rate at one decimal place but hold different positions (the
    ranking uses the stored values: 92.540 is above 92.450, though both show as 92.5), both
    are shown to two decimal places, so the table explains its own order.
    """
    rows = list(rows)
    labels = {csp: shown(rate) for csp, rate, _ in rows}
    finer = FINER[_places.get()]
    for places in dict.fromkeys((finer, FINER[finer])):
        positions_by_label: dict[str, set[int]] = defaultdict(set)
        for csp, rate, position in rows:
            if rate is not None and position is not None:
                positions_by_label[labels[csp]].add(position)
        clashing = {label for label, held in positions_by_label.items() if len(held) > 1}
        if not clashing:
            break
        for csp, rate, _ in rows:
            if labels[csp] in clashing:
                labels[csp] = shown(rate, places)
    return labels
