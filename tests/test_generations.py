"""Generation counters: every write to a data set moves its number, so cached pages retire."""

import pytest

from generations.counters import CRIME, DELIVERY, bump, current
from priorities.models import PlanVersion

pytestmark = pytest.mark.django_db


def test_a_data_set_never_written_is_generation_zero_and_each_bump_moves_it():
    assert current("never-written") == {"never-written": 0}
    bump("never-written")
    bump("never-written")
    assert current("never-written")["never-written"] == 2


def test_saving_or_deleting_a_tracked_model_bumps_its_data_set():
    before = current(CRIME, DELIVERY)
    version = PlanVersion.objects.order_by("pk").first()
    version.name = f"{version.name} (renamed)"
    version.save()
    after_save = current(CRIME, DELIVERY)
    assert after_save[DELIVERY] > before[DELIVERY]
    assert after_save[CRIME] == before[CRIME]
    version.delete()
    assert current(DELIVERY)[DELIVERY] > after_save[DELIVERY]
