"""One definition of a plan version's financial years, used by the funding form and delivery."""

import datetime

import pytest

from priorities.models import PlanVersion


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "years"),
    [
        (datetime.date(2019, 4, 1), datetime.date(2020, 3, 31), [2019]),
        (datetime.date(2017, 4, 1), datetime.date(2020, 3, 31), [2017, 2018, 2019]),
        # A version starting in January starts in the financial year before.
        (datetime.date(2019, 1, 1), datetime.date(2019, 12, 31), [2018, 2019]),
    ],
)
def test_a_versions_financial_years(starts_on, ends_on, years):
    assert PlanVersion(starts_on=starts_on, ends_on=ends_on).financial_years() == years


@pytest.mark.django_db
def test_the_work_stream_form_has_one_funding_field_per_financial_year_of_the_version():
    from priorities.forms import WorkStreamForm
    from priorities.models import Priority

    priority = Priority.objects.select_related("version").first()
    form = WorkStreamForm(priority=priority)

    expected = priority.version.financial_years()
    assert form.years == expected
    assert [name for name in form.fields if name.startswith("allocation_")] == [
        f"allocation_{year}" for year in expected
    ]
