"""The statistics module against published values, hand computation, scipy and statsmodels."""

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats import rates

from crime_stats.statistics import (
    NO_SIGNIFICANT_CHANGE,
    REAL_FALL,
    REAL_RISE,
    adjusted_funnel_limits,
    change_p_values,
    change_verdict,
    count_limits,
    national_rate,
    over_dispersion,
    poisson_funnel_limits,
    rank_ranges,
    rate_interval,
    xmr,
)

# Exact 95% Poisson limits for counts 0–9, as tabulated by Garwood (Biometrika 1936;28:437)
# and reproduced by R's poisson.test and in Daly (1992) Table 2.
GARWOOD = {
    0: (0.0, 3.6889),
    1: (0.0253, 5.5716),
    2: (0.2422, 7.2247),
    3: (0.6187, 8.7673),
    5: (1.6235, 11.6683),
    9: (4.1154, 17.0848),
}


@pytest.mark.parametrize(("count", "limits"), GARWOOD.items())
def test_counts_under_ten_get_the_exact_poisson_limits(count, limits):
    lower, upper = count_limits(count)
    assert (round(float(lower), 4), round(float(upper), 4)) == limits


def test_counts_from_ten_get_byars_approximation_worked_by_hand():
    # O = 10, z = 1.959964: 10 (1 - 1/90 - z/(3 sqrt 10))^3 = 4.78745 and
    # 11 (1 - 1/99 + z/(3 sqrt 11))^3 = 18.39146 (the exact limits are 4.7954 and 18.3904).
    lower, upper = count_limits(10)
    assert round(float(lower), 4) == 4.7874
    assert round(float(upper), 4) == 18.3915


def test_byar_is_within_two_tenths_of_a_percent_of_exact_from_ten():
    # PHE "Technical Guide: Confidence intervals" (2018), appendix 1: for 95% intervals
    # Byar's method is within 0.2% of the exact value for numerators of 10 or more.
    counts = np.arange(10, 20_000)
    lower, upper = count_limits(counts)
    exact_lower = stats.chi2.ppf(0.025, 2 * counts) / 2
    exact_upper = stats.chi2.ppf(0.975, 2 * counts + 2) / 2
    assert np.max(np.abs(lower / exact_lower - 1)) < 0.002
    assert np.max(np.abs(upper / exact_upper - 1)) < 0.002


def test_rate_interval_is_the_count_interval_over_the_population_per_thousand():
    # 3,000 offences among 350,000 people: 8.571 per 1,000.
    lower, upper = rate_interval(np.array([3000, 4]), np.array([350_000, 1_000]))
    byar_lower, byar_upper = count_limits(3000)
    assert lower[0] == pytest.approx(byar_lower / 350)
    assert upper[0] == pytest.approx(byar_upper / 350)
    assert lower[0] < 3000 / 350 < upper[0]
    assert (round(lower[1], 4), round(upper[1], 4)) == (1.0899, 10.2416)


def test_change_p_values_are_statsmodels_score_test_row_by_row():
    now = np.array([1200, 130, 0, 60])
    before = np.array([1000, 120, 0, 30])
    populations = np.array([350_000, 40_000, 10_000, 20_000])
    p_values = change_p_values(now, populations, before, populations)
    for i in range(4):
        with np.errstate(divide="ignore", invalid="ignore"):
            expected = rates.test_poisson_2indep(
                now[i], populations[i], before[i], populations[i], method="score"
            ).pvalue
        assert p_values[i] == pytest.approx(1.0 if np.isnan(expected) else expected)
    # The exact conditional test agrees on which changes are real.
    for i in (0, 1, 3):
        exact = rates.test_poisson_2indep(
            now[i], populations[i], before[i], populations[i], method="exact-cond"
        ).pvalue
        assert (exact < 0.05) == (p_values[i] < 0.05)
    assert p_values[2] == 1.0


def test_change_verdict_names_real_rises_and_falls_only_when_significant():
    assert change_verdict(0.001, 12.0, 10.0) == REAL_RISE
    assert change_verdict(0.001, 8.0, 10.0) == REAL_FALL
    assert change_verdict(0.2, 12.0, 10.0) == NO_SIGNIFICANT_CHANGE
    assert change_verdict(0.05, 12.0, 10.0) == NO_SIGNIFICANT_CHANGE


def test_rank_ranges_are_tight_for_clear_gaps_and_overlap_for_near_ties():
    counts = np.array([9000, 4000, 4010, 1000])
    populations = np.array([100_000, 100_000, 100_000, 100_000])
    best, worst = rank_ranges(counts, populations)
    assert (best[0], worst[0]) == (1, 1)
    assert (best[3], worst[3]) == (4, 4)
    # 40.0 and 40.1 per 1,000 are within chance of each other: each could be 2nd or 3rd.
    assert (best[1], worst[1]) == (2, 3)
    assert (best[2], worst[2]) == (2, 3)
    again = rank_ranges(counts, populations)
    assert (again[0] == best).all() and (again[1] == worst).all()


def test_poisson_funnel_limit_matches_spiegelhalters_interpolation_by_hand():
    # Target 1 per 1,000 among 5,000 people: expected count 5. P(X <= 9) = 0.968172 and
    # P(X <= 10) = 0.986305, so r = 10 and alpha = (0.986305 - 0.975) / 0.018133 = 0.62345:
    # the upper 95% limit is (10 - 0.62345) / 5,000 × 1,000 = 1.8753 per 1,000.
    lower, upper = poisson_funnel_limits(np.array([5000]), 1.0, 0.95)
    assert round(float(upper[0]), 4) == 1.8753
    assert 0 < lower[0] < 1.0


def test_poisson_funnel_limits_approach_the_normal_ones_for_large_populations():
    # Target 80 per 1,000 among 100,000 people: 80 ± 1.959964 × sqrt(0.08 / 100,000) × 1,000
    # = 78.247 to 81.753 by the normal approximation.
    lower, upper = poisson_funnel_limits(np.array([100_000]), 80.0, 0.95)
    assert float(lower[0]) == pytest.approx(78.247, abs=0.01)
    assert float(upper[0]) == pytest.approx(81.753, abs=0.01)
    lower998, upper998 = poisson_funnel_limits(np.array([100_000]), 80.0, 0.998)
    assert lower998[0] < lower[0] and upper998[0] > upper[0]


def test_over_dispersion_is_zero_for_csps_at_the_target_and_widens_limits_otherwise():
    populations = np.array([100_000, 200_000, 300_000, 150_000, 250_000])
    at_target = populations * 0.08
    assert over_dispersion(at_target, populations, 80.0).tau2 == 0
    spread = np.array([6000, 20000, 21000, 15000, 22000])
    target = national_rate(spread, populations)
    dispersion = over_dispersion(spread, populations, target)
    assert dispersion.over_dispersed and dispersion.phi > 1
    # tau2 by hand: I phi - (I - 1) over sum w - sum w^2 / sum w, w = n / theta.
    theta = target / 1000
    z = (spread / populations - theta) / np.sqrt(theta / populations)
    winsorised = np.clip(z, *np.quantile(z, [0.1, 0.9]))
    phi = np.mean(winsorised**2)
    w = populations / theta
    assert dispersion.tau2 == pytest.approx((5 * phi - 4) / (w.sum() - (w**2).sum() / w.sum()))
    plain = poisson_funnel_limits(populations, target, 0.998)
    wide = adjusted_funnel_limits(populations, target, 0.998, dispersion.tau2)
    assert (wide[1] > plain[1]).all() and (wide[0] < plain[0]).all()


def test_xmr_limits_are_the_mean_plus_or_minus_2_66_mean_moving_ranges():
    chart = xmr(np.array([10.0, 12.0, 11.0, 13.0, 12.0]))
    # Mean 11.6; moving ranges 2, 1, 2, 1: mean 1.5; limits 11.6 ± 3.99.
    assert chart.mean == pytest.approx(11.6)
    assert chart.mean_moving_range == pytest.approx(1.5)
    assert (chart.lower, chart.upper) == (pytest.approx(7.61), pytest.approx(15.59))
    assert not chart.special.any()


def test_xmr_flags_a_point_outside_the_limits():
    chart = xmr(np.array([10.0, 10.5, 9.8, 10.2, 9.9, 10.1, 10.0, 14.0]))
    assert chart.outside.tolist() == [False] * 7 + [True]


def test_xmr_flags_a_run_of_seven_on_one_side_of_the_mean():
    values = np.array([5.0, 5.2, 4.9, 5.1, 5.3, 5.0, 5.2, 3.0, 3.1, 2.9, 3.0, 3.2, 2.8, 3.1])
    chart = xmr(values)
    assert chart.shift.tolist() == [True] * 14


def test_xmr_does_not_flag_six_on_one_side_but_flags_seven():
    below = [1.0, 1.1, 0.9, 1.0, 1.2, 0.8]
    above = [3.0, 3.1, 2.9, 3.0, 3.2, 2.8]
    assert not xmr(np.array(below + above)).shift.any()
    assert xmr(np.array([*below, 1.0, *above, 3.0])).shift.all()


def test_xmr_flags_seven_points_each_rising_and_an_equal_value_breaks_the_run():
    rising = np.array([1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.2, 1.3])
    assert xmr(rising).trend.tolist() == [True] * 7 + [False, False]
    broken = np.array([1.0, 1.1, 1.2, 1.2, 1.3, 1.4, 1.5, 1.6, 1.2])
    assert not xmr(broken).trend.any()


def test_xmr_flags_two_of_three_points_near_a_limit():
    # Two of three points in a row beyond two-thirds of the way to the upper limit, all three
    # above the mean (NHSRplotthedots asks for the three on one side).
    values = np.array([10.0, 10.5, 9.5, 10.0, 10.5, 9.5, 10.0, 9.5, 10.5, 12.6, 12.5, 10.0])
    chart = xmr(values)
    assert chart.near_limits.tolist() == [False] * 9 + [True, True, False]
    assert not chart.outside.any()


def test_xmr_limits_from_a_baseline_judge_the_new_point_against_the_process_as_it_was():
    values = np.array([10.0, 10.4, 9.8, 10.2, 9.9, 10.1, 10.0, 10.3, 13.0])
    fixed = xmr(values, baseline=8)
    # Mean and moving ranges of the first eight only: 10.0875; ranges 0.4, 0.6, 0.4, 0.3,
    # 0.2, 0.1, 0.3: mean 0.3286, so the limits are 10.0875 ± 0.874.
    assert fixed.mean == pytest.approx(10.0875)
    assert fixed.mean_moving_range == pytest.approx(2.3 / 7)
    assert fixed.outside.tolist() == [False] * 8 + [True]
    # Left in the mean, the new point pulls it up and every earlier quarter looks "below".
    assert xmr(values).shift.sum() == 8 and not fixed.shift.any()


def test_xmr_screens_moving_ranges_above_3_267_times_their_mean():
    values = np.array([10.0, 10.2, 10.0, 10.2, 10.0, 10.2, 10.0, 14.0, 10.0])
    screened = xmr(values)
    unscreened = xmr(values, screen=False)
    # Ranges 0.2 ×6, 4.0, 4.0: mean 1.15; 4.0 is above 3.267 × 1.15 = 3.76, so the mean moving
    # range of the rest is 0.2.
    assert unscreened.mean_moving_range == pytest.approx(9.2 / 8)
    assert screened.mean_moving_range == pytest.approx(0.2)


def test_simulated_positions_rank_as_scipy_min_ranking_does_ties_included():
    from crime_stats.statistics import _positions

    rng = np.random.default_rng(1)
    rates = rng.poisson(5, size=(200, 40)) / np.repeat([1000.0, 2000.0], 20)
    assert (_positions(rates) == stats.rankdata(-rates, method="min", axis=1)).all()
