"""Home Office rates use each year's population when the population table gives one per year."""

from decimal import Decimal

import pytest

from tests.crime_stats.import_files import (
    LEICESTER,
    ONS_HEADER,
    POPULATION,
    csv_bytes,
    ons_rows,
    plan_for,
    problem_texts,
)

pytestmark = pytest.mark.django_db

TWO_YEARS = (
    ONS_HEADER
    + ons_rows("Leicester", "Leicestershire", "2018/19", 1, {"1": 3500})
    + ons_rows("Leicester", "Leicestershire", "2019/20", 1, {"1": 3600})
)


def _all_crime(plan) -> dict[str, tuple[Decimal, int]]:
    return {
        f.period.label: (f.rate, f.population)
        for f in plan.parsed.figures
        if f.category == "Violence against the person" and f.csp.label == LEICESTER
    }


def test_a_population_per_year_gives_each_year_its_own_rate():
    population = (
        "CSP,Financial Year,Population\nLeicester,2018/19,350000\nLeicester,2019/20,360000\n"
    )

    plan = plan_for(csv_bytes(TWO_YEARS), csv_bytes(population), span="April-June")

    assert problem_texts(plan) == []
    assert _all_crime(plan) == {
        "April–June 2018": (Decimal("10.000"), 350000),
        "April–June 2019": (Decimal("10.000"), 360000),
    }
    assert not any("population" in note for note in plan.parsed.notes)


def test_a_year_missing_from_a_per_year_population_table_is_a_problem():
    population = "CSP,Financial Year,Population\nLeicester,2018/19,350000\n"

    plan = plan_for(csv_bytes(TWO_YEARS), csv_bytes(population), span="April-June")

    assert problem_texts(plan) == [
        "sheet population file, column 'Population': the population table has no population "
        "for Leicestershire - Leicester in 2019/20 (named from row 3 of the file): add a row "
        "for it to the population table"
    ]


def test_one_population_for_several_years_is_used_for_each_and_the_preview_says_so():
    plan = plan_for(csv_bytes(TWO_YEARS), csv_bytes(POPULATION), span="April-June")

    assert problem_texts(plan) == []
    assert _all_crime(plan) == {
        "April–June 2018": (Decimal("10.000"), 350000),
        "April–June 2019": (Decimal("10.286"), 350000),
    }
    assert (
        "The population table has no 'Financial Year' column, so each CSP's one population was "
        "used for every year in the file (2018/19, 2019/20). Add a 'Financial Year' column with "
        "a row per CSP and year to use each year's population."
    ) in plan.parsed.notes


def test_a_bad_year_in_the_population_table_is_reported_at_its_row():
    population = "CSP,Financial Year,Population\nLeicester,2018/20,350000\n"

    plan = plan_for(csv_bytes(TWO_YEARS), csv_bytes(population), span="April-June")

    assert problem_texts(plan)[0] == (
        "sheet population file, row 2, column 'Financial Year': `2018/20` is not a financial "
        "year: write it as `2018/19`"
    )
