"""Transactional tests (browser tests among them) start from the seeded snapshot every time.

Django empties the database after each transactional test; tests/conftest.py restores the
seed and demo data before the next one. The first test below wipes data and the second, which
pytest runs after it, must still find every row.
"""

import pytest

from actions.models import ProgressUpdate
from crime_stats.models import CrimeFigure

pytestmark = pytest.mark.django_db(transaction=True)

SEED_FIGURES = 45  # the plan's table: 15 CSPs x 3 periods
DEMO_UPDATES = 29  # the demo's updates, March 2020 ones included


def test_a_transactional_test_starts_with_seed_and_demo_data_and_may_change_them():
    assert CrimeFigure.objects.count() == SEED_FIGURES
    assert ProgressUpdate.objects.count() == DEMO_UPDATES
    ProgressUpdate.objects.all().delete()
    CrimeFigure.objects.filter(csp__name="Leicester").delete()


def test_the_next_transactional_test_starts_from_the_same_snapshot():
    assert CrimeFigure.objects.count() == SEED_FIGURES
    assert ProgressUpdate.objects.count() == DEMO_UPDATES
