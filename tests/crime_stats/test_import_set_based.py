"""Creating, revising and undoing figures are set-based: the same number of queries for ten
times the figures (a statement per chunk, none per figure), with every history row written."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crime_stats.importers import ImportOptions, import_figures, undo_batch
from crime_stats.models import CSP, CrimeFigure, FigureChange

pytestmark = pytest.mark.django_db

PERIODS = ("2016/17", "2017/18")


def _csps(count: int, prefix: str = "Testplace") -> list[CSP]:
    return CSP.objects.bulk_create(
        CSP(force="Testforce", name=f"{prefix} {number:03d}") for number in range(count)
    )


def _file(csps: list[CSP], rate: str) -> bytes:
    rows = [f"Testforce - {csp.name},{period},{rate}" for csp in csps for period in PERIODS]
    return ("CSP,Period,Rate\n" + "\n".join(rows) + "\n").encode()


def _queries(action) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        result = action()
    return len(captured.captured_queries), result


def _load(content: bytes, admin):
    return import_figures(
        content=content, file_name="set.csv", options=ImportOptions(category="All crime"),
        user=admin,
    )  # fmt: skip


def _create_revise_undo(csps: list[CSP], admin) -> list[int]:
    """Return the queries of creating, revising and undoing the revision, then of undoing the
    creation, for one figure per CSP and period."""
    created, (_plan, first) = _queries(lambda: _load(_file(csps, "10.5"), admin))
    revised, (_plan, second) = _queries(lambda: _load(_file(csps, "11.25"), admin))
    undo_revision, _ = _queries(lambda: undo_batch(batch=second, user=admin))
    undo_creation, _ = _queries(lambda: undo_batch(batch=first, user=admin))
    return [created, revised, undo_revision, undo_creation]


def test_ten_times_the_figures_take_the_same_queries_to_create_revise_and_undo(admin, settings):
    settings.IMPORT_WRITE_CHUNK = 1000  # both sizes fit one chunk

    small = _create_revise_undo(_csps(5), admin)  # 10 figures
    large = _create_revise_undo(_csps(50, "Otherplace"), admin)  # 100 figures

    assert small == large


def test_queries_grow_by_chunk_not_by_figure(admin, settings):
    csps = _csps(50)  # 100 figures
    settings.IMPORT_WRITE_CHUNK = 1000
    one_chunk, (_plan, batch) = _queries(lambda: _load(_file(csps, "10.5"), admin))
    undo_batch(batch=batch, user=admin)
    settings.IMPORT_WRITE_CHUNK = 10

    ten_chunks, _ = _queries(lambda: _load(_file(csps, "10.5"), admin))

    assert ten_chunks - one_chunk == 9  # one INSERT per extra chunk of ten figures


def test_every_write_is_in_the_history_and_the_journal(admin):
    csps = _csps(3)
    _plan, first = _load(_file(csps, "10.5"), admin)
    _plan, second = _load(_file(csps, "11.25"), admin)
    figure = CrimeFigure.objects.get(csp=csps[0], period__slug="apr-2016-mar-2017")
    journal = FigureChange.objects.get(batch=second, csp=csps[0], period=figure.period)
    assert (journal.created, journal.previous_rate, journal.new_rate) == (
        False,
        Decimal("10.500"),
        Decimal("11.250"),
    )
    assert (journal.previous_batch, journal.previous_offences) == (first, None)

    undo_batch(batch=second, user=admin)
    undo_batch(batch=first, user=admin)

    history = list(
        CrimeFigure.history.filter(id=figure.pk)
        .order_by("history_id")
        .values_list("history_type", "rate", "batch", "history_user", "history_change_reason")
    )
    assert history == [
        ("+", Decimal("10.500"), first.pk, admin.pk, f"Import batch {first.pk}: set.csv"),
        ("~", Decimal("11.250"), second.pk, admin.pk, f"Import batch {second.pk}: set.csv"),
        ("~", Decimal("10.500"), first.pk, admin.pk, f"Undo of import batch {second.pk}"),
        ("-", Decimal("10.500"), first.pk, admin.pk, f"Undo of import batch {first.pk}"),
    ]
    assert not CrimeFigure.objects.filter(csp__in=csps).exists()
    assert CrimeFigure.history.filter(csp__in=csps).count() == 6 * 4
