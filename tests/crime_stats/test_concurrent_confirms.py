"""Two confirms revising the same figures at once: one loads, the other is refused, and no
revision is lost (issue 11, item 7). Two threads, two PostgreSQL connections.

Without the import lock both read the figure as it was, both write, and the later one records
the earlier's revision as never having been there: undoing it then skips a revision for good.
"""

import threading
from decimal import Decimal

import pytest
from django.db import connections

from crime_stats.importers import (
    ImportOptions,
    batches,
    check_upload,
    confirm_upload,
    undo_batch,
    upload_store,
)
from crime_stats.importers.batches import CHANGED_SINCE_PREVIEW
from crime_stats.models import CrimeFigure, ImportBatch
from tests.conftest import postgresql_only

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SEED_RATE = Decimal("92.500")  # Leicester, April–December 2018, in the plan's table


def _leicester_2018() -> CrimeFigure:
    return CrimeFigure.objects.get(
        csp__name="Leicester", period__slug="apr-dec-2018", category="All crime"
    )


def _previewed(name: str, rate: str, admin) -> ImportBatch:
    batch = upload_store(
        content=f"CSP,Period,Rate\nLeicester,April-December 2018,{rate}\n".encode(),
        file_name=name, options=ImportOptions(), population=None, population_name="", user=admin,
    )  # fmt: skip
    return check_upload(batch=batch)


def test_two_confirms_at_once_load_one_and_refuse_the_other(admin, monkeypatch):
    postgresql_only()
    first, second = _previewed("first.csv", "95.25", admin), _previewed("second.csv", "96", admin)
    first_planned, second_planned = threading.Event(), threading.Event()
    plan_import = batches.plan_import

    def plan_then_wait(parsed, options):
        # The first confirm to compare waits (up to a second) for the other to compare too:
        # without the lock the other does, and both write over the same figure.
        plan = plan_import(parsed, options)
        if not first_planned.is_set():
            first_planned.set()
            second_planned.wait(timeout=1.0)
        else:
            second_planned.set()
        return plan

    monkeypatch.setattr(batches, "plan_import", plan_then_wait)
    outcomes = {}

    def confirm(batch: ImportBatch) -> None:
        try:
            outcomes[batch.file_name] = confirm_upload(
                batch=batch, user=admin, skip_unknown_csps=False
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm, args=(batch,)) for batch in (first, second)]
    threads[0].start()
    assert first_planned.wait(timeout=30)
    threads[1].start()
    for thread in threads:
        thread.join(timeout=60)

    assert outcomes["first.csv"].committed
    assert not outcomes["second.csv"].committed
    assert outcomes["second.csv"].message == CHANGED_SINCE_PREVIEW
    assert _leicester_2018().rate == Decimal("95.250")
    assert ImportBatch.objects.get(pk=second.pk).status == ImportBatch.Status.PREVIEWED
    # The winner's journal holds the value it replaced, so its undo restores exactly that.
    assert first.changes.get().previous_rate == SEED_RATE
    undo_batch(batch=first, user=admin)
    assert _leicester_2018().rate == SEED_RATE
