"""The population estimates a Home Office import divides by, when no table comes with it.

Each financial year's rates use the mid-year estimate of its first calendar year (2025/26 uses
mid-2025: 30 June falls inside it). When that estimate is not loaded for a CSP, the latest
earlier one is used and the preview says so loudly: a rate over an old population overstates
crime where the population grew. A CSP with no estimate for that year or any earlier one gets
no rate, and the import says which estimates to load.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from crime_stats.models import PopulationEstimate
from lib.financial_year import financial_year_label

LOAD_ESTIMATES = "load population estimates on the data-loading page (Populations)"


class StoredPopulations:
    """Looks up (CSP id, financial year) -> people in the stored estimates, noting each use."""

    by_year = True

    def __init__(self) -> None:
        self._by_csp: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
        for csp_id, year, population, source in PopulationEstimate.objects.order_by(
            "csp_id", "-year"
        ).values_list("csp_id", "year", "population", "source"):
            self._by_csp[csp_id].append((year, population, source))
        self.used: Counter = Counter()  # (financial year, estimate year) -> figures

    def __bool__(self) -> bool:
        return bool(self._by_csp)

    def __iter__(self):
        # `_make_figures` asks whether the table is by year: the stored one always is.
        return iter([(0, 0)])

    def get(self, key: tuple[int, int | None], default: int | None = None) -> int | None:
        """Return the CSP's estimate for the year, or the latest earlier one; None if none."""
        csp_id, year = key
        for estimate_year, population, _source in self._by_csp.get(csp_id, []):
            if year is None or estimate_year <= year:
                self.used[(year, estimate_year)] += 1
                return population
        return default

    def missing_message(self, label: str, year: int) -> str:
        """Return the problem for a CSP with no estimate for a year or before it."""
        return (
            f"no population estimate is stored for {label} for mid-{year} or any earlier "
            f"year, so its rates for {financial_year_label(year)} cannot be made: {LOAD_ESTIMATES}"
        )

    def sources(self) -> list[dict]:
        """Return, per financial year, which mid-year estimates its rates used and how often."""
        rows = []
        for (year, estimate_year), figures in sorted(self.used.items()):
            rows.append(
                {
                    "financial_year": financial_year_label(year),
                    "estimate": f"mid-{estimate_year}",
                    "figures": figures,
                    "fallback": estimate_year != year,
                }
            )
        return rows
