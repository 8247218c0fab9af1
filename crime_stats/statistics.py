"""Uncertainty, real change and variation: pure, vectorised functions of counts and populations.

A recorded crime rate is a count of offences over a population. Treating the count as Poisson
(as public-health statisticians do for counts of events in a population) gives every method
here; each one follows a published source, cited beside it, and the portal's /methods/ page
explains them in plain English. Every function takes and returns numpy arrays (or floats) and
touches no database, so a national table of 300 CSPs costs one call, not 300.

Sources
- [PHE-CI] Public Health England / OHID, Fingertips public health technical guidance,
  "Rates": https://fingertips.phe.org.uk/static-reports/public-health-technical-guidance/
  Basic_statistics/Rates.html ; and PHE "Technical Guide: Confidence intervals" (Public Health
  Data Science, version 25 May 2018), appendices 1 (Byar's method) and 2 (chi-squared exact
  method): exact limits for counts under 10, Byar's approximation from 10.
- [Breslow-Day] Breslow NE, Day NE. Statistical methods in cancer research, volume II. IARC,
  1987 (Byar's approximation).
- [Armitage] Armitage P, Berry G, Matthews JNS. Statistical methods in medical research, 4th
  ed., 2002 (the Poisson–chi-squared link behind the exact limits).
- [Gu] Gu K, Ng HKT, Tang ML, Schucany WR. Testing the ratio of two Poisson rates. Biometrical
  Journal 2008;50(2):283–298 — the score test implemented by
  `statsmodels.stats.rates.test_poisson_2indep(method="score")`.
- [Goldstein-Spiegelhalter] Goldstein H, Spiegelhalter DJ. League tables and their
  limitations: statistical issues in comparisons of institutional performance. JRSS A
  1996;159(3):385–443 (ranks carry uncertainty; report them with intervals).
- [Spiegelhalter-2005a] Spiegelhalter DJ. Funnel plots for comparing institutional
  performance. Statistics in Medicine 2005;24:1185–1202, doi:10.1002/sim.1970 (limits around a
  target; exact Poisson limits with interpolation, Appendix A.1.1).
- [Spiegelhalter-2005b] Spiegelhalter DJ. Handling over-dispersion of performance indicators.
  Quality and Safety in Health Care 2005;14:347–351, doi:10.1136/qshc.2005.013755 (Winsorised
  z-scores, the dispersion ratio and the additive random-effects variance tau-squared).
- [MDC] NHS England / NHS Improvement, "Making Data Count" (2018) and "Making Data Count:
  strengthening your decisions" (2019), as implemented by the NHS-R Community's
  NHSRplotthedots (github.com/nhs-r-community/NHSRplotthedots, R/ptd_spc_standard.R and
  R/ptd_calculate_point_type.R): XmR limits at the mean ± 2.66 × the mean moving range and
  the special-cause rules below.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats
from statsmodels.stats.rates import test_poisson_2indep

from crime_stats.display import NO_SIGNIFICANT_CHANGE, REAL_FALL, REAL_RISE

PER = 1000  # rates are crimes per 1,000 population
CONFIDENCE = 0.95
# [PHE-CI]: below 10 events the exact method; from 10, Byar's approximation.
EXACT_BELOW = 10
SIGNIFICANCE = 0.05


def _z(confidence: float) -> float:
    """Return the two-sided normal quantile: 1.959964… for 95%, 3.090232… for 99.8%."""
    return float(stats.norm.ppf(1 - (1 - confidence) / 2))


def count_limits(
    counts: np.ndarray | int, confidence: float = CONFIDENCE
) -> tuple[np.ndarray, np.ndarray]:
    """Return the (lower, upper) confidence limits of Poisson counts, per [PHE-CI].

    Counts under 10 get the exact limits chi2(alpha/2; 2O)/2 and chi2(1 - alpha/2; 2O + 2)/2
    [Armitage]; from 10, Byar's approximation [Breslow-Day]:
    lower O(1 - 1/(9O) - z/(3 sqrt O))^3, upper (O + 1)(1 - 1/(9(O + 1)) + z/(3 sqrt(O + 1)))^3.
    A count of 0 has lower limit 0.
    """
    observed = np.asarray(counts, dtype=float)
    alpha = 1 - confidence
    z = _z(confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        byar_lower = observed * (1 - 1 / (9 * observed) - z / (3 * np.sqrt(observed))) ** 3
        byar_upper = (observed + 1) * (
            1 - 1 / (9 * (observed + 1)) + z / (3 * np.sqrt(observed + 1))
        ) ** 3
        exact_lower = np.where(observed > 0, stats.chi2.ppf(alpha / 2, 2 * observed) / 2, 0.0)
    exact_upper = stats.chi2.ppf(1 - alpha / 2, 2 * observed + 2) / 2
    small = observed < EXACT_BELOW
    return np.where(small, exact_lower, byar_lower), np.where(small, exact_upper, byar_upper)


def rate_interval(
    counts: np.ndarray | int,
    populations: np.ndarray | int,
    confidence: float = CONFIDENCE,
    per: int = PER,
) -> tuple[np.ndarray, np.ndarray]:
    """Return the (lower, upper) confidence limits of rates per `per` people [PHE-CI]:
    the count's limits divided by the population."""
    lower, upper = count_limits(counts, confidence)
    population = np.asarray(populations, dtype=float)
    return lower / population * per, upper / population * per


def change_p_values(
    counts: np.ndarray | int,
    populations: np.ndarray | int,
    previous_counts: np.ndarray | int,
    previous_populations: np.ndarray | int,
) -> np.ndarray:
    """Return the two-sided p-value that the rate did not change between the two periods.

    The test of the ratio of two Poisson rates, `rate / previous rate = 1`, is the score test
    [Gu] as `statsmodels.stats.rates.test_poisson_2indep(method="score")` computes it
    (vectorised); where both counts are 0 nothing changed and p = 1.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        result = test_poisson_2indep(
            np.asarray(counts, dtype=float),
            np.asarray(populations, dtype=float),
            np.asarray(previous_counts, dtype=float),
            np.asarray(previous_populations, dtype=float),
            method="score",
        )
    return np.nan_to_num(np.asarray(result.pvalue, dtype=float), nan=1.0)


def change_verdict(p_value: float, rate: float, previous_rate: float) -> str:
    """Return "real rise", "real fall" (p < 0.05) or "no significant change"."""
    if p_value >= SIGNIFICANCE or rate == previous_rate:
        return NO_SIGNIFICANT_CHANGE
    return REAL_RISE if rate > previous_rate else REAL_FALL


# -- Positions -------------------------------------------------------------------------------

RANK_DRAWS = 2000
RANK_SEED = 20260401  # fixed, so a page shows the same range on every visit


def rank_ranges(
    counts: np.ndarray,
    populations: np.ndarray,
    *,
    draws: int = RANK_DRAWS,
    seed: int = RANK_SEED,
    confidence: float = CONFIDENCE,
) -> tuple[np.ndarray, np.ndarray]:
    """Return each CSP's plausible range of positions (best, worst), 1 = the highest rate.

    Method (after [Goldstein-Spiegelhalter]): draw every CSP's count `draws` times from a
    Poisson distribution with its observed count as mean (a parametric bootstrap, fixed seed),
    rank the simulated rates in each draw the way the table does (1 = highest, ties share the
    better place), and report the central 95% of each CSP's simulated positions.
    """
    observed = np.asarray(counts, dtype=float)
    population = np.asarray(populations, dtype=float)
    generator = np.random.default_rng(seed)
    simulated = generator.poisson(observed, size=(draws, observed.size)) / population
    ranks = _positions(simulated)
    tail = (1 - confidence) / 2 * 100
    low = np.percentile(ranks, tail, axis=0, method="lower")
    high = np.percentile(ranks, 100 - tail, axis=0, method="higher")
    return low.astype(int), high.astype(int)


def _positions(rates: np.ndarray) -> np.ndarray:
    """Return each row's positions, 1 = highest, ties sharing the better place (as the table
    ranks): 1 + the number of strictly higher rates in the row, for every row at once.

    Rows are made disjoint by an offset and searched in one sorted array, which is several
    times faster than ranking row by row (scipy's rankdata) for 2,000 rows of 300 CSPs.
    """
    draws, size = rates.shape
    offset = (np.arange(draws) * (float(rates.max()) + 1.0))[:, None]
    shifted = rates + offset
    ordered = np.sort(shifted, axis=1).ravel()
    at_most = np.searchsorted(ordered, shifted.ravel(), side="right").reshape(draws, size)
    at_most -= (np.arange(draws) * size)[:, None]
    return size - at_most + 1


# -- Funnel plot -----------------------------------------------------------------------------

FUNNEL_CONFIDENCES = (0.95, 0.998)
WINSORISE = 0.10  # [Spiegelhalter-2005b]: 10% at each end


def national_rate(counts: np.ndarray, populations: np.ndarray, per: int = PER) -> float:
    """Return the pooled rate: all offences over all people, per `per`."""
    return float(np.sum(counts) / np.sum(populations) * per)


def z_scores(
    counts: np.ndarray, populations: np.ndarray, target: float, per: int = PER
) -> np.ndarray:
    """Return each CSP's z-score against the target rate: (rate - target) / sqrt(target / n)."""
    population = np.asarray(populations, dtype=float)
    rate = np.asarray(counts, dtype=float) / population
    theta = target / per
    return (rate - theta) / np.sqrt(theta / population)


@dataclass(frozen=True)
class OverDispersion:
    """The dispersion ratio phi and the between-CSP variance tau-squared (per person squared)."""

    phi: float
    tau2: float
    csps: int

    @property
    def over_dispersed(self) -> bool:
        """Return True when phi exceeds what chance allows: I phi > I - 1, so tau2 > 0."""
        return self.tau2 > 0


def over_dispersion(
    counts: np.ndarray, populations: np.ndarray, target: float, per: int = PER
) -> OverDispersion:
    """Return phi and tau2 by [Spiegelhalter-2005b]: z-scores Winsorised at 10% each end,
    phi = mean of their squares, tau2 = (I phi - (I - 1)) / (sum w - sum w^2 / sum w) with
    w = 1 / s^2 = n / target, and tau2 = 0 when I phi <= I - 1."""
    z = z_scores(counts, populations, target, per)
    low, high = np.quantile(z, [WINSORISE, 1 - WINSORISE])
    winsorised = np.clip(z, low, high)
    csps = z.size
    phi = float(np.mean(winsorised**2))
    weights = np.asarray(populations, dtype=float) / (target / per)
    denominator = weights.sum() - (weights**2).sum() / weights.sum()
    excess = csps * phi - (csps - 1)
    tau2 = float(excess / denominator) if excess > 0 and denominator > 0 else 0.0
    return OverDispersion(phi=phi, tau2=tau2, csps=csps)


def poisson_funnel_limits(
    populations: np.ndarray, target: float, confidence: float, per: int = PER
) -> tuple[np.ndarray, np.ndarray]:
    """Return the (lower, upper) funnel limits in rate per `per` at each population, exact
    Poisson with [Spiegelhalter-2005a]'s interpolation (Appendix A.1.1): for tail probability
    p, r_p is the smallest count with P(X <= r_p) >= p, alpha = (P(X <= r_p) - p) /
    (P(X <= r_p) - P(X <= r_p - 1)), and the limit is (r_p - alpha) / n."""
    population = np.asarray(populations, dtype=float)
    expected = target / per * population
    limits = []
    for p in ((1 - confidence) / 2, 1 - (1 - confidence) / 2):
        r = stats.poisson.ppf(p, expected)
        at = stats.poisson.cdf(r, expected)
        below = stats.poisson.cdf(r - 1, expected)
        alpha = np.divide(at - p, at - below, out=np.zeros_like(at), where=at > below)
        limits.append(np.maximum(r - alpha, 0) / population * per)
    return limits[0], limits[1]


def adjusted_funnel_limits(
    populations: np.ndarray, target: float, confidence: float, tau2: float, per: int = PER
) -> tuple[np.ndarray, np.ndarray]:
    """Return limits widened for over-dispersion [Spiegelhalter-2005b]:
    target ± z sqrt(target / n + tau2), on the rate scale, in rate per `per`."""
    population = np.asarray(populations, dtype=float)
    theta = target / per
    spread = _z(confidence) * np.sqrt(theta / population + tau2)
    return np.maximum(theta - spread, 0) * per, (theta + spread) * per


def funnel_limits(
    populations: np.ndarray,
    target: float,
    confidence: float,
    *,
    tau2: float | None = None,
    per: int = PER,
) -> tuple[np.ndarray, np.ndarray]:
    """Return the funnel limits: exact Poisson without `tau2`, widened with it."""
    if tau2 is None:
        return poisson_funnel_limits(populations, target, confidence, per)
    return adjusted_funnel_limits(populations, target, confidence, tau2, per)


# -- Variation over time: XmR chart [MDC] ----------------------------------------------------

XMR_CONSTANT = 2.66  # 3 / d2, d2 = 1.128 for moving ranges of two points [MDC]
SCREEN_CONSTANT = 3.267  # D4 for moving ranges of two: NHSRplotthedots' outlier screen
SHIFT_POINTS = 7  # [MDC]: seven or more consecutive points on one side of the mean
TREND_POINTS = 7  # [MDC] as NHSRplotthedots implements it: seven points, each above
#                   (below) the one before; DESIGN.md's "6 rising or falling" counts the six
#                   moves between them.


@dataclass(frozen=True)
class XmR:
    """An XmR chart of values in time order: mean, limits and each point's special causes."""

    values: np.ndarray
    mean: float
    mean_moving_range: float
    lower: float
    upper: float
    outside: np.ndarray  # a point beyond the process limits
    shift: np.ndarray  # part of a run of 7 or more on one side of the mean
    trend: np.ndarray  # part of a run of 7 or more points each rising (or each falling)
    near_limits: np.ndarray  # part of 2 of 3 points beyond 2 sigma on the same side

    @property
    def special(self) -> np.ndarray:
        """Return True for each point that any rule flags."""
        return self.outside | self.shift | self.trend | self.near_limits


def xmr(values: np.ndarray, *, baseline: int | None = None, screen: bool = True) -> XmR:
    """Return the XmR chart of the values (at least two, in time order) [MDC].

    The mean and the mean moving range (of |x_i - x_(i-1)|) come from the first `baseline`
    values (all of them by default), as NHSRplotthedots' `fix_after_n_points` does, so that a
    new point is judged against the process as it was, not one it has already pulled. With
    `screen`, moving ranges above 3.267 × their mean are left out of it (NHSRplotthedots'
    `screen_outliers`). Limits: mean ± 2.66 × mean moving range. The rules, over every value:
    a point outside the limits; 7 or more points in a row above (or below) the mean — a point
    on the mean breaks the run; 7 or more points each higher (lower) than the one before — an
    equal value breaks it; 2 of 3 points in a row beyond two-thirds of the way to a limit
    (2 sigma) but not outside it, all three on the same side of the mean.
    """
    x = np.asarray(values, dtype=float)
    base = x[: baseline or x.size]
    mean = float(base.mean())
    ranges = np.abs(np.diff(base))
    moving_range = float(ranges.mean()) if ranges.size else 0.0
    if screen and ranges.size:
        kept = ranges[ranges < SCREEN_CONSTANT * moving_range]
        moving_range = float(kept.mean()) if kept.size else moving_range
    lower = mean - XMR_CONSTANT * moving_range
    upper = mean + XMR_CONSTANT * moving_range
    outside = (x > upper) | (x < lower)
    side = np.sign(x - mean)
    shift = _runs(side, SHIFT_POINTS)
    moves = np.sign(np.diff(x))
    trend = _runs(np.concatenate([[0.0], moves]), TREND_POINTS - 1, include_previous=True)
    close = XMR_CONSTANT * 2 / 3 * moving_range
    beyond_two_sigma = (np.abs(x - mean) > close) & ~outside
    near = np.zeros(x.size, dtype=bool)
    for start in range(max(x.size - 2, 0)):
        window = slice(start, start + 3)
        same_side = abs(side[window].sum()) == 3
        if same_side and beyond_two_sigma[window].sum() >= 2:
            near[window] |= beyond_two_sigma[window]
    return XmR(x, mean, moving_range, lower, upper, outside, shift, trend, near)


def _runs(signs: np.ndarray, length: int, *, include_previous: bool = False) -> np.ndarray:
    """Return True for each position in a run of at least `length` equal non-zero signs; with
    `include_previous` the point before each run (where a run of moves starts) is included."""
    flagged = np.zeros(signs.size, dtype=bool)
    start = 0
    for index in range(1, signs.size + 1):
        if index == signs.size or signs[index] != signs[start]:
            if signs[start] != 0 and index - start >= length:
                first = start - 1 if include_previous else start
                flagged[max(first, 0) : index] = True
            start = index
    return flagged
