"""Statistical process control for an indicator's values: an XmR (individuals) chart.

Method (Wheeler, *Understanding Variation*, 1993; the XmR chart as in ANSI/ASQC B1-B3 1996):
the centre line is the mean of the values; the natural process limits are the mean ± 2.66 ×
the average moving range (the mean absolute difference between successive values). Signals of
special-cause variation: a value outside the limits; a run of 8 or more successive values on
the same side of the centre line (Western Electric rule 4). Limits are computed from at least
6 values ("useful limits can be constructed with as few as five or six consecutive values");
with fewer the page says so rather than draw limits that mean nothing. Pure functions: no
database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

SCALING = Decimal("2.66")  # 3 / d2 for moving ranges of two values (d2 = 1.128)
MIN_VALUES = 6
RUN_LENGTH = 8


@dataclass(frozen=True)
class ProcessLimits:
    """An XmR chart's centre line, natural process limits and the signals found."""

    centre: Decimal
    lower: Decimal
    upper: Decimal
    outside: list[int] = field(default_factory=list)  # indexes of values beyond the limits
    runs: list[tuple[int, int]] = field(default_factory=list)  # (first, last) index of a run


def process_limits(values: Sequence[Decimal]) -> ProcessLimits | None:
    """Return the XmR limits and signals of `values` (oldest first), or None with fewer than
    MIN_VALUES."""
    if len(values) < MIN_VALUES:
        return None
    centre = sum(values, Decimal(0)) / len(values)
    moving = [abs(b - a) for a, b in zip(values, values[1:], strict=False)]
    average_range = sum(moving, Decimal(0)) / len(moving)
    lower, upper = centre - SCALING * average_range, centre + SCALING * average_range
    outside = [i for i, value in enumerate(values) if value < lower or value > upper]
    return ProcessLimits(centre, lower, upper, outside, _runs(values, centre))


def _runs(values: Sequence[Decimal], centre: Decimal) -> list[tuple[int, int]]:
    """Return (first, last) index of each run of RUN_LENGTH or more values on one side."""
    runs, start, side = [], 0, 0
    for index, value in enumerate([*values, centre]):  # the sentinel ends the last run
        here = (value > centre) - (value < centre)
        if here != side or here == 0:
            if side != 0 and index - start >= RUN_LENGTH:
                runs.append((start, index - 1))
            start, side = index, here
    return runs
