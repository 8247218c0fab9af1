"""The comparison with counts: intervals, tests of change and position ranges on every row."""

from decimal import Decimal

import numpy as np
from scipy import stats

from crime_stats.comparison import MemberRate, compare
from crime_stats.statistics import NO_SIGNIFICANT_CHANGE, REAL_FALL, REAL_RISE


def member(csp: str, offences: int | None, population: int) -> MemberRate:
    rate = (
        None
        if offences is None
        else (Decimal(offences) * 1000 / population).quantize(Decimal("0.001"))
    )
    return MemberRate(csp, rate, csp, offences, population if offences is not None else None)


NOW = [
    member("X - A", 30_000, 350_000),  # 85.714
    member("X - B", 8_600, 100_000),  # 86.0: within chance of A
    member("X - C", 5_000, 100_000),  # 50.0
    member("X - D", 7, 1_000),  # 7 offences: the exact method
]
THEN = [
    member("X - A", 27_000, 350_000),  # 77.143: a real rise
    member("X - B", 8_550, 100_000),  # 85.5: no significant change
    member("X - C", 5_600, 100_000),  # 56.0: a real fall
    member("X - D", 6, 1_000),
]


def rows():
    return {row.csp: row for row in compare(focus="X - A", members=NOW, previous=THEN).rows}


def test_every_rate_with_a_count_gets_its_95_percent_interval():
    a, d = rows()["X - A"], rows()["X - D"]
    # Byar's limits for 30,000 over 350,000, per 1,000, agree with the chi-squared exact
    # limits (84.74706, 86.68979) to the stored three places.
    assert (a.lower, a.upper) == (Decimal("84.747"), Decimal("86.690"))
    assert round(stats.chi2.ppf(0.025, 60_000) / 2 / 350, 3) == float(a.lower)
    # 7 offences among 1,000 people: exact limits 2.814 and 14.423 per 1,000.
    assert (d.lower, d.upper) == (Decimal("2.814"), Decimal("14.423"))


def test_changes_are_called_real_only_when_the_test_says_so():
    verdicts = {csp: row.verdict for csp, row in rows().items()}
    assert verdicts == {
        "X - A": REAL_RISE,
        "X - B": NO_SIGNIFICANT_CHANGE,
        "X - C": REAL_FALL,
        "X - D": NO_SIGNIFICANT_CHANGE,
    }
    assert rows()["X - B"].change_p > 0.05 > rows()["X - A"].change_p


def test_positions_carry_their_plausible_range():
    by_csp = rows()
    assert (by_csp["X - A"].position, by_csp["X - B"].position) == (2, 1)
    assert (by_csp["X - A"].rank_low, by_csp["X - A"].rank_high) == (1, 2)
    assert (by_csp["X - B"].rank_low, by_csp["X - B"].rank_high) == (1, 2)
    assert (by_csp["X - C"].rank_low, by_csp["X - C"].rank_high) == (3, 3)


def test_rates_without_counts_get_no_interval_test_or_range():
    plain = [MemberRate("X - A", Decimal("92.5")), MemberRate("X - B", Decimal("90"))]
    comparison = compare(focus="X - A", members=plain, previous=plain)
    assert not comparison.has_intervals and not comparison.has_rank_ranges
    assert all(row.lower is None and row.verdict is None for row in comparison.rows)


def test_one_member_without_a_count_stops_the_ranges_but_not_the_others_intervals():
    mixed = [*NOW[:3], MemberRate("X - E", Decimal("60"), "X - E")]
    comparison = compare(focus="X - A", members=mixed)
    assert comparison.has_intervals and not comparison.has_rank_ranges
    assert np.all([row.lower is not None for row in comparison.rows if row.csp != "X - E"])
