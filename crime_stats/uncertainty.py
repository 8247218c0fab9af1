"""The comparison's uncertainty: each rate's interval, each change's test, each position's range.

Pure functions over the engine's rows (crime_stats.comparison) and the offence counts and
populations behind them; the arithmetic is crime_stats.statistics, called once per table on
arrays, never once per row. A rate stored without its count (the plan's own table gives rates
only) gets no interval, no test and no range: the page says that none can be given.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

STORED = Decimal("0.001")

Counts = tuple[int | None, int | None]  # (offences, population)


def decimal(value: float) -> Decimal:
    """Return a computed limit as a Decimal at the stored precision (three places), so that it
    is shown by the same half-up rounding as every stored rate."""
    return Decimal(repr(float(value))).quantize(STORED, rounding=ROUND_HALF_UP)


def _known(counts: Counts | None) -> bool:
    return counts is not None and counts[0] is not None and bool(counts[1])


def with_uncertainty(rows: Sequence, now: Mapping[str, Counts], then: Mapping[str, Counts]):
    """Return the rows with their 95% intervals, change tests and (when every counted row has
    a count) plausible position ranges filled in. `now` and `then` map each CSP label to its
    (offences, population) in the period and in the previous comparable period."""
    rows = list(rows)
    with_count = [
        i for i, row in enumerate(rows) if row.rate is not None and _known(now.get(row.csp))
    ]
    updates: dict[int, dict] = {i: {} for i in with_count}
    if with_count:
        # scipy and statsmodels take a second or more to import: only pages with counts pay it.
        from crime_stats import statistics

        offences = np.array([now[rows[i].csp][0] for i in with_count], dtype=float)
        people = np.array([now[rows[i].csp][1] for i in with_count], dtype=float)
        lower, upper = statistics.rate_interval(offences, people)
        for k, i in enumerate(with_count):
            updates[i] |= {
                "offences": int(offences[k]),
                "population": int(people[k]),
                "lower": decimal(lower[k]),
                "upper": decimal(upper[k]),
            }
        tested = [i for i in with_count if _known(then.get(rows[i].csp))]
        if tested:
            p_values = statistics.change_p_values(
                np.array([now[rows[i].csp][0] for i in tested], dtype=float),
                np.array([now[rows[i].csp][1] for i in tested], dtype=float),
                np.array([then[rows[i].csp][0] for i in tested], dtype=float),
                np.array([then[rows[i].csp][1] for i in tested], dtype=float),
            )
            for k, i in enumerate(tested):
                row = rows[i]
                before = then[row.csp]
                previous_rate = before[0] / before[1]
                rate = now[row.csp][0] / now[row.csp][1]
                updates[i] |= {
                    "change_p": float(p_values[k]),
                    "verdict": statistics.change_verdict(p_values[k], rate, previous_rate),
                }
        counted = [i for i, row in enumerate(rows) if row.rate is not None]
        if len(with_count) == len(counted) and len(counted) > 1:
            best, worst = statistics.rank_ranges(offences, people)
            for k, i in enumerate(with_count):
                updates[i] |= {"rank_low": int(best[k]), "rank_high": int(worst[k])}
    return [replace(row, **updates[i]) if i in updates else row for i, row in enumerate(rows)]
