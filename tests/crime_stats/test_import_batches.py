"""Committing, repeating and undoing imports: all or nothing, idempotent, exactly reversible."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from crime_stats.importers import ImportOptions, ImportRefused, import_figures, undo_batch
from crime_stats.importers.batches import CHANGED_SINCE
from crime_stats.models import CrimeFigure, FigureChange, ImportBatch, ReportingPeriod
from tests.crime_stats.import_files import csv_bytes

pytestmark = pytest.mark.django_db

REVISION = "CSP,Period,Rate\nLeicester,April–December 2018,95.25\nNottingham,2019/20,80\n"


def database_dump() -> list:
    """Return every figure, its history, every period and batch: what an import may change."""
    return [
        list(CrimeFigure.objects.order_by("pk").values_list()),
        list(CrimeFigure.history.order_by("history_id").values_list()),
        list(ReportingPeriod.objects.order_by("pk").values_list()),
        list(ImportBatch.objects.order_by("pk").values_list()),
        list(FigureChange.objects.order_by("pk").values_list()),
    ]


def _load(text: str, admin=None, **options):
    return import_figures(
        content=csv_bytes(text), file_name="revision.csv", options=ImportOptions(**options),
        user=admin,
    )  # fmt: skip


def _leicester_2018() -> CrimeFigure:
    return CrimeFigure.objects.get(
        csp__name="Leicester", period__slug="apr-dec-2018", category="All crime"
    )


def test_a_file_with_one_bad_row_writes_nothing():
    before = database_dump()
    bad = REVISION + "Leicester,2020/21,lots\n"

    plan, batch = _load(bad)

    assert batch is None and not plan.can_commit
    assert database_dump() == before


def test_a_failed_command_leaves_the_database_exactly_as_it_was(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(REVISION + "Atlantis,2019/20,5\n", encoding="utf-8")
    before = database_dump()

    with pytest.raises(CommandError):
        call_command("load_crime_figures", str(path))

    assert database_dump() == before


def test_a_revised_figure_updates_in_place_and_keeps_its_history(admin):
    figure = _leicester_2018()
    seed_batch = figure.batch

    plan, batch = _load(REVISION, admin)

    figure.refresh_from_db()
    assert (len(plan.created), len(plan.updated)) == (1, 1)
    assert figure.rate == Decimal("95.250") and figure.batch == batch
    history = list(figure.history.order_by("-history_date").values_list("rate", flat=True))
    assert history[:2] == [Decimal("95.250"), Decimal("92.500")]
    assert figure.history.latest().history_user == admin
    assert (batch.rows_read, batch.rows_created, batch.rows_updated) == (2, 1, 1)
    assert batch.uploaded_by == admin and batch.status == ImportBatch.Status.COMMITTED
    change = FigureChange.objects.get(batch=batch, created=False)
    assert (change.previous_rate, change.previous_batch) == (Decimal("92.500"), seed_batch)


def test_the_same_file_again_changes_nothing():
    _load(REVISION)
    before = database_dump()

    plan, batch = _load(REVISION)

    assert batch is None
    assert (len(plan.created), len(plan.updated), len(plan.unchanged)) == (0, 0, 2)
    assert database_dump() == before


def test_undo_restores_exactly_what_the_batch_replaced(admin):
    before = [
        row[: -0 or None]
        for row in CrimeFigure.objects.order_by("pk").values_list(
            "pk", "csp", "period", "category", "rate", "offences", "population", "batch"
        )
    ]
    periods_before = list(ReportingPeriod.objects.values_list("slug", flat=True))
    _plan, batch = _load(REVISION, admin)
    assert ReportingPeriod.objects.filter(slug="apr-2019-mar-2020").exists()

    assert undo_batch(batch=batch, user=admin) == 2

    after = list(
        CrimeFigure.objects.order_by("pk").values_list(
            "pk", "csp", "period", "category", "rate", "offences", "population", "batch"
        )
    )
    assert after == before
    assert list(ReportingPeriod.objects.values_list("slug", flat=True)) == periods_before
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.UNDONE and batch.undone_at is not None
    assert _leicester_2018().history.latest().history_change_reason == (
        f"Undo of import batch {batch.pk}"
    )


def test_undo_is_refused_when_a_later_batch_changed_the_figures(admin):
    _plan, first = _load(REVISION, admin)
    _plan, second = _load("CSP,Period,Rate\nLeicester,April–December 2018,96\n", admin)
    before = database_dump()

    with pytest.raises(ImportRefused) as refusal:
        undo_batch(batch=first, user=admin)

    assert str(refusal.value) == CHANGED_SINCE.format(count=1, batches=f"#{second.pk} revision.csv")
    assert database_dump() == before


def test_undo_twice_is_refused(admin):
    _plan, batch = _load(REVISION, admin)
    undo_batch(batch=batch, user=admin)

    with pytest.raises(ImportRefused, match="this one is undone"):
        undo_batch(batch=batch, user=admin)
