"""Current updates: the ones no later update corrects, read with NOT EXISTS so pages stay fast."""

import datetime

import pytest

from actions import services
from actions.models import Action, ProgressUpdate

pytestmark = pytest.mark.django_db


def test_a_corrected_update_stops_counting_and_its_correction_counts(owner, owners_action):
    wrong = owners_action.updates.get(reported_on=datetime.date(2019, 9, 2))
    before = set(ProgressUpdate.objects.current().values_list("pk", flat=True))
    assert wrong.pk in before
    correction = services.progress_update_create(
        action=owners_action,
        author=owner,
        reported_on=datetime.date(2019, 9, 2),
        status="red",
        narrative="The September figure counted one bin twice.",
        corrects=wrong,
    )
    after = set(ProgressUpdate.objects.current().values_list("pk", flat=True))
    assert after == (before - {wrong.pk}) | {correction.pk}
    # The correction is an update like any other: a later one still decides the status.
    latest = owners_action.updates.order_by("-reported_on", "-created_at").first()
    annotated = Action.objects.with_progress().get(pk=owners_action.pk)
    assert annotated.current_status == latest.status
    assert ProgressUpdate.objects.filter(pk=wrong.pk).exists()  # kept, never deleted


def test_current_updates_are_read_with_not_exists_not_an_outer_join():
    # bench/dashboard.py: with 50,000 updates, `LEFT OUTER JOIN … IS NULL` inside the per-action
    # "latest update" subqueries made PostgreSQL 15 scan every correction for each action and
    # the dashboard took 3 s; NOT EXISTS probes the unique index on `corrects` instead.
    sql = str(ProgressUpdate.objects.current().query)
    assert "NOT EXISTS" in sql
    assert "LEFT OUTER JOIN" not in sql
    status_sql = str(Action.objects.with_progress().query)
    assert status_sql.count("NOT EXISTS") == 3  # status, last update date, review start
    assert "LEFT OUTER JOIN" not in status_sql
