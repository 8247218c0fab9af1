"""Set-based writes of crime figures: an import's creates and revisions, an undo, with history.

A national file makes about 90,000 figures. Written through the ORM's per-object paths
(bulk_create preparing every field of every object, a historical instance per figure, a delete
per figure so that each removal is recorded) a 68,200-figure batch took 22–26 s to import and
135–184 s to undo on PostgreSQL. Here each step is one statement per chunk of figures
(settings.IMPORT_WRITE_CHUNK; COPY on PostgreSQL, else a multi-row INSERT) or one statement for
the whole batch (journal and history rows as INSERT … SELECT, revisions and restores as
UPDATE … FROM the journal, removals as one DELETE), so the number of queries grows with the
number of chunks, never with the number of figures, and none is per figure.

Every figure the batch writes has a row in its journal (FigureChange) with the values before and
after, and a row in the figures' history (django-simple-history's table: `+` created, `~`
revised, `-` removed), as the per-object path wrote them. All of it runs inside the caller's
transaction: whole or nothing.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import TypeVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Exists, Model, OuterRef

from crime_stats.importers.progress import Progress
from crime_stats.importers.records import Figure
from crime_stats.models import CrimeFigure, FigureChange, ImportBatch, ReportingPeriod

REASON_LENGTH = 100  # simple_history's history_change_reason column

Row = TypeVar("Row")


def chunked(rows: Sequence[Row], size: int) -> Iterator[Sequence[Row]]:
    """Yield consecutive slices of at most `size` rows."""
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _columns(model: type[Model], names: Sequence[str]) -> list[str]:
    return [connection.ops.quote_name(model._meta.get_field(name).column) for name in names]


def insert_rows(model: type[Model], fields: Sequence[str], rows: Sequence[tuple]) -> None:
    """Insert `rows` (values in the order of `fields`) into `model`'s table in one statement.

    The values are already checked and of the database's types; this skips the ORM's
    preparation of each field of each object, which cost more than the database's own work.
    PostgreSQL takes them by COPY (a quarter of the multi-row INSERTs' time for the 10,230
    figures of bench/import_ons.py);
    other databases by one multi-row INSERT.
    """
    if not rows:
        return
    table, columns = _table(model), ", ".join(_columns(model, fields))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = f"COPY {table} ({columns}) FROM STDIN"
            cursor.copy_expert(sql, io.StringIO("".join(_copy_line(row) for row in rows)))
            return
        placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
        values = ", ".join([placeholders] * len(rows))
        cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {values}", [  # noqa: S608
            value for row in rows for value in row
        ])  # fmt: skip


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_value(value: object) -> str:
    """Return a value in COPY's text format: \\N for NULL, t/f, text with its escapes."""
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    return str(value).translate(_COPY_ESCAPES)


def _copy_line(row: tuple) -> str:
    return "\t".join(_copy_value(value) for value in row) + "\n"


_RATE = CrimeFigure._meta.get_field("rate")
_RATE_PLACES = -_RATE.decimal_places
_MAX_RATE = Decimal(10) ** (_RATE.max_digits - _RATE.decimal_places) - Decimal(10) ** _RATE_PLACES
_MAX_COUNT = 2**31 - 1  # IntegerField and PositiveIntegerField on every database Django supports


def check_figure_values(rate: Decimal, offences: int | None, population: int | None) -> None:
    """Raise ValidationError when a value does not fit its column (the model's own validators).

    The readers already refuse such values with a row number; this is the last guard before
    the database, which on SQLite would not refuse a rate with too many digits itself. The
    bounds are checked directly first: the model's validators cost more than the write.
    """
    exponent = rate.as_tuple().exponent
    if (
        isinstance(exponent, int)
        and exponent >= _RATE_PLACES
        and 0 <= rate <= _MAX_RATE
        and (offences is None or 0 <= offences <= _MAX_COUNT)
        and (population is None or 0 <= population <= _MAX_COUNT)
    ):
        return
    _RATE.clean(rate, None)
    CrimeFigure._meta.get_field("offences").clean(offences, None)
    CrimeFigure._meta.get_field("population").clean(population, None)
    raise ValidationError(f"{rate}, {offences}, {population}: not a crime figure")


FIGURE_FIELDS = ("csp", "period", "category", "rate", "offences", "population", "batch")
CHANGE_FIELDS = (
    "batch", "csp", "period", "category", "created", "previous_rate", "previous_offences",
    "previous_population", "previous_batch", "new_rate", "new_offences", "new_population",
)  # fmt: skip
JOURNAL_OF_CREATED = (
    "batch", "csp", "period", "category", "created", "new_rate", "new_offences", "new_population",
)  # fmt: skip


def write_created(
    *,
    batch: ImportBatch,
    figures: Sequence[Figure],
    periods: dict,
    progress: Progress,
) -> None:
    """Insert the figures the batch creates a chunk at a time, then their journal rows at once.

    Run before `write_revised`: the journal is made from the figures carrying the batch, which
    are only the created ones until then.
    """
    for chunk in chunked(figures, settings.IMPORT_WRITE_CHUNK):
        rows = []
        for figure in chunk:
            check_figure_values(figure.rate, figure.offences, figure.population)
            rows.append(
                (figure.csp.pk, periods[figure.period].pk, figure.category)
                + (figure.rate, figure.offences, figure.population, batch.pk)
            )
        insert_rows(CrimeFigure, FIGURE_FIELDS, rows)
        progress.advance(len(chunk))
        progress.checkpoint()
    if not figures:
        return
    journal = f"{_table(FigureChange)} ({', '.join(_columns(FigureChange, JOURNAL_OF_CREATED))})"
    select = "batch_id, csp_id, period_id, category, %s, rate, offences, population"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {journal} SELECT {select} FROM {_table(CrimeFigure)} "  # noqa: S608
            "WHERE batch_id = %s",
            [True, batch.pk],
        )


def _update_from_journal(batch: ImportBatch, assignments: dict[str, str]) -> None:
    """Set each revised figure's columns from its journal row of the batch, in one statement.

    UPDATE … FROM joins the journal once (PostgreSQL, and SQLite since 3.33); the ORM's update
    with a correlated subquery per column took 3.9 s for 68,200 figures, this 2.2 s (the same
    loaded machine; most of it is PostgreSQL writing new row versions and their indexes).
    `assignments` maps a figure column to a journal column (`c.` prefixed).
    """
    figures, journal = _table(CrimeFigure), _table(FigureChange)
    columns = ", ".join(
        f"{connection.ops.quote_name(column)} = {value}" for column, value in assignments.items()
    )
    key = " AND ".join(
        f"c.{name} = {figures}.{name}" for name in ("csp_id", "period_id", "category")
    )
    sql = (
        f"UPDATE {figures} SET {columns} FROM {journal} c "  # noqa: S608 (names from the models)
        f"WHERE c.batch_id = %s AND c.created = %s AND {key}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [batch.pk, False])


def write_revised(
    *,
    batch: ImportBatch,
    revisions: Sequence[tuple[CrimeFigure, Figure]],
    progress: Progress,
) -> None:
    """Journal each revised figure's old and new values a chunk at a time, then set them all."""
    for chunk in chunked(revisions, settings.IMPORT_WRITE_CHUNK):
        rows = []
        for current, figure in chunk:
            check_figure_values(figure.rate, figure.offences, figure.population)
            rows.append(
                (batch.pk, current.csp_id, current.period_id, current.category, False)
                + (current.rate, current.offences, current.population, current.batch_id)
                + (figure.rate, figure.offences, figure.population)
            )
        insert_rows(FigureChange, CHANGE_FIELDS, rows)
        progress.advance(len(chunk))
        progress.checkpoint()
    if revisions:
        _update_from_journal(
            batch,
            {
                "rate": "c.new_rate",
                "offences": "c.new_offences",
                "population": "c.new_population",
                "batch_id": "c.batch_id",
            },
        )


def _history_insert(select_values: str, join_and_where: str) -> str:
    """Return INSERT … SELECT into the figures' history table from figures joined to a journal."""
    history = CrimeFigure.history.model
    fields = (
        "id", "csp", "period", "category", "rate", "offences", "population", "batch",
        "history_date", "history_change_reason", "history_type", "history_user",
    )  # fmt: skip
    # Names from the models and fixed SQL from this module; every value is a query parameter.
    into = f"{_table(history)} ({', '.join(_columns(history, fields))})"
    figures, journal = _table(CrimeFigure), _table(FigureChange)
    join = "c.csp_id = f.csp_id AND c.period_id = f.period_id AND c.category = f.category"
    return f"INSERT INTO {into} SELECT {select_values} FROM {figures} f JOIN {journal} c ON {join} {join_and_where}"  # noqa: S608, E501


def record_history(
    *,
    batch: ImportBatch,
    user: AbstractBaseUser | None,
    reason: str,
    when: datetime.datetime,
) -> None:
    """Add a history row for every figure the batch wrote: `+` created, `~` revised."""
    sql = _history_insert(
        "f.id, f.csp_id, f.period_id, f.category, f.rate, f.offences, f.population, f.batch_id, "
        "%s, %s, CASE WHEN c.created THEN '+' ELSE '~' END, %s",
        "AND c.batch_id = f.batch_id WHERE f.batch_id = %s",
    )
    params = [_when(when), reason[:REASON_LENGTH], user.pk if user else None, batch.pk]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _when(when: datetime.datetime):
    return connection.ops.adapt_datetimefield_value(when)


def undo_figures(
    *,
    batch: ImportBatch,
    user: AbstractBaseUser | None,
    reason: str,
    when: datetime.datetime,
    progress: Progress,
) -> None:
    """Put back every figure the batch revised and remove every figure it created, with history.

    The caller has checked that every figure in the batch's journal still carries the batch.
    Four statements, whatever the batch's size: history first (`-` with the values removed,
    `~` with the values restored), then the restores, then the removals.
    """
    progress.phase("Recording the history of each figure", total=None, unit="figures")
    sql = _history_insert(
        "f.id, f.csp_id, f.period_id, f.category, "
        "CASE WHEN c.created THEN f.rate ELSE c.previous_rate END, "
        "CASE WHEN c.created THEN f.offences ELSE c.previous_offences END, "
        "CASE WHEN c.created THEN f.population ELSE c.previous_population END, "
        "CASE WHEN c.created THEN f.batch_id ELSE c.previous_batch_id END, "
        "%s, %s, CASE WHEN c.created THEN '-' ELSE '~' END, %s",
        "AND c.batch_id = f.batch_id WHERE f.batch_id = %s",
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql, [_when(when), reason[:REASON_LENGTH], user.pk if user else None, batch.pk]
        )
    progress.checkpoint()
    progress.phase("Restoring the figures the import revised", total=None, unit="figures")
    _update_from_journal(
        batch,
        {
            "rate": "c.previous_rate",
            "offences": "c.previous_offences",
            "population": "c.previous_population",
            "batch_id": "c.previous_batch_id",
        },
    )
    progress.checkpoint()
    progress.phase("Removing the figures the import created", total=None, unit="figures")
    # What still carries the batch now is exactly what it created. A raw delete: the ORM's
    # delete would send a signal per figure, and django-simple-history would write each one's
    # history row with a query of its own (the history is already written above).
    CrimeFigure.objects.filter(batch=batch)._raw_delete(CrimeFigure.objects.db)
    progress.checkpoint()
    # Periods the batch created and nothing else fills any more go too.
    batch.created_periods.filter(
        ~Exists(CrimeFigure.objects.filter(period=OuterRef("pk")))
    ).delete()


def create_periods(*, batch: ImportBatch, specs: Sequence) -> dict:
    """Return {spec: period} for new periods, created in one statement and linked to the batch."""
    periods = [
        ReportingPeriod(label=spec.label, slug=spec.slug, start=spec.start, end=spec.end)
        for spec in specs
    ]
    for period in periods:
        period.clean_fields()
    created = ReportingPeriod.objects.bulk_create(periods)
    batch.created_periods.add(*created)
    return dict(zip(specs, created, strict=True))
