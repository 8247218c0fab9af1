"""Writes of the import pipeline: commit a plan as a batch, keep an upload for confirm, undo."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from crime_stats.importers.periods import PeriodSpec
from crime_stats.importers.pipeline import ImportPlan, parse_file, plan_import
from crime_stats.importers.preview import national_summary, save_publication_notes
from crime_stats.importers.readers import safe_file_name
from crime_stats.importers.records import ImportOptions
from crime_stats.models import CrimeFigure, FigureChange, ImportBatch, ImportUpload, ReportingPeriod
from generations.counters import CRIME, bump

WRITE_BATCH = 2000
NOT_PREVIEWED = "Only a previewed upload can be confirmed; this one is {status}."
NOT_COMMITTED = "Only a committed batch can be undone; this one is {status}."
CHANGED_SINCE = (
    "{count:,} of this batch's figures were changed since by a later import ({batches}): "
    "undo that first."
)
PREVIEW_LIMIT = 500  # rows of each list kept for the preview page; totals are always exact


class ImportRefused(Exception):
    """A batch action that cannot go ahead; the message says why and what to do."""


def sha256_of(content: bytes) -> str:
    """Return the SHA-256 of a file's bytes, in hex."""
    return hashlib.sha256(content).hexdigest()


def _number(value: Decimal | int | None) -> str | None:
    return None if value is None else str(value)


def plan_summary(plan: ImportPlan, limit: int = PREVIEW_LIMIT) -> dict:
    """Return what the plan will do as plain data, for the preview page and the command."""
    parsed = plan.parsed
    return {
        "format": parsed.format,
        "rows_read": parsed.rows_read,
        "created_total": len(plan.created),
        "updated_total": len(plan.updated),
        "unchanged_total": len(plan.unchanged),
        "created": [
            [
                f.csp.label,
                f.period.label,
                f.category,
                _number(f.rate),
                _number(f.offences),
                _number(f.population),
            ]
            for f in sorted(plan.created, key=lambda f: (f.period, f.category, f.csp.label))[:limit]
        ],
        "updated": [
            [
                figure.csp.label,
                figure.period.label,
                figure.category,
                _number(current.rate),
                _number(figure.rate),
                _number(current.offences),
                _number(figure.offences),
            ]
            for current, figure in sorted(
                plan.updated, key=lambda pair: (pair[1].period, pair[1].category, pair[1].csp.label)
            )[:limit]
        ],
        "new_periods": [spec.label for spec in plan.new_periods],
        "unknown_csps": [
            {"name": u.name, "rows": u.rows, "first_row": u.first_row, "message": u.message}
            for u in sorted(parsed.unknown_csps.values(), key=lambda u: u.name)
        ],
        "rows_skipped": parsed.rows_skipped,
        "notes": parsed.notes,
        # Problems other than unknown CSPs: any of them stops the import whatever is confirmed.
        "problems": [problem.as_dict() for problem in parsed.problems],
        **national_summary(plan),
    }


@transaction.atomic
def commit_plan(*, plan: ImportPlan, batch: ImportBatch, user: AbstractBaseUser | None) -> None:
    """Write every created and revised figure of the plan as `batch`, journalled for undo."""
    if not plan.can_commit:
        raise ImportRefused("The file has problems; nothing was written.")
    bump(CRIME)  # bulk writes send no signals
    reason = f"Import batch {batch.pk}: {batch.file_name}"[:100]
    periods: dict[PeriodSpec, ReportingPeriod] = dict(plan.periods)  # type: ignore[arg-type]
    for spec in plan.new_periods:
        period = ReportingPeriod(label=spec.label, slug=spec.slug, start=spec.start, end=spec.end)
        period.full_clean()
        period.save()
        batch.created_periods.add(period)
        periods[spec] = period

    # Database constraints back these checks; clean_fields catches a bad value with a message
    # (foreign keys are excluded because they were just matched and each would cost a query).
    related = ["csp", "period", "batch"]
    new_figures = []
    changes = []
    for figure in plan.created:
        row = CrimeFigure(
            csp=figure.csp,
            period=periods[figure.period],
            category=figure.category,
            rate=figure.rate,
            offences=figure.offences,
            population=figure.population,
            batch=batch,
        )
        row.clean_fields(exclude=related)
        new_figures.append(row)
        changes.append(
            FigureChange(
                batch=batch,
                csp=figure.csp,
                period=periods[figure.period],
                category=figure.category,
                created=True,
            )
        )
    revised = []
    for current, figure in plan.updated:
        changes.append(
            FigureChange(
                batch=batch,
                csp=figure.csp,
                period=current.period,
                category=figure.category,
                created=False,
                previous_rate=current.rate,
                previous_offences=current.offences,
                previous_population=current.population,
                previous_batch_id=current.batch_id,
            )
        )
        current.rate, current.offences = figure.rate, figure.offences
        current.population, current.batch = figure.population, batch
        current.clean_fields(exclude=related)
        revised.append(current)
    bulk_create_with_history(
        new_figures,
        CrimeFigure,
        batch_size=WRITE_BATCH,
        default_user=user,
        default_change_reason=reason,
    )
    if revised:
        bulk_update_with_history(
            revised,
            CrimeFigure,
            ["rate", "offences", "population", "batch"],
            batch_size=WRITE_BATCH,
            default_user=user,
            default_change_reason=reason,
        )
    FigureChange.objects.bulk_create(changes, batch_size=WRITE_BATCH)
    batch.status = ImportBatch.Status.COMMITTED
    batch.committed_at = timezone.now()
    _count(batch, plan)
    batch.errors = []
    batch.save()


def _count(batch: ImportBatch, plan: ImportPlan) -> None:
    batch.format = plan.parsed.format or batch.format
    batch.rows_read = plan.parsed.rows_read
    batch.rows_created = len(plan.created)
    batch.rows_updated = len(plan.updated)
    batch.rows_unchanged = len(plan.unchanged)
    batch.rows_rejected = plan.rows_rejected
    batch.rows_skipped = plan.parsed.rows_skipped if plan.options.skip_unknown_csps else 0


def import_figures(
    *,
    content: bytes,
    file_name: str,
    options: ImportOptions,
    population: bytes | None = None,
    user: AbstractBaseUser | None = None,
    dry_run: bool = False,
) -> tuple[ImportPlan, ImportBatch | None]:
    """Return the plan and, when it was committed, its batch: the command's whole import."""
    file_name = safe_file_name(file_name)
    plan = plan_import(parse_file(content, options, population, file_name=file_name), options)
    if dry_run or not plan.can_commit or not (plan.created or plan.updated):
        return plan, None
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            file_name=file_name,
            sha256=sha256_of(content),
            format=plan.parsed.format,
            options=_stored_options(options, population),
            uploaded_by=user,
        )
        commit_plan(plan=plan, batch=batch, user=user)
        save_publication_notes(batch, plan)
    return plan, batch


def _stored_options(options: ImportOptions, population: bytes | None) -> dict:
    stored = options.as_dict()
    if population is not None:
        stored["population_sha256"] = sha256_of(population)
    return stored


@transaction.atomic
def preview_upload(
    *,
    content: bytes,
    file_name: str,
    options: ImportOptions,
    population: bytes | None,
    population_name: str,
    user: AbstractBaseUser,
) -> ImportBatch:
    """Return a new batch recording what the file would do; its bytes are kept for confirm.

    The names are the browser's: only their base names are kept, never a path.
    """
    file_name = safe_file_name(file_name)
    population_name = safe_file_name(population_name) if population_name else ""
    parsed = parse_file(
        content, options, population, file_name=file_name, population_name=population_name
    )
    plan = plan_import(parsed, options)
    batch = ImportBatch(
        file_name=file_name,
        sha256=sha256_of(content),
        format=plan.parsed.format or "",
        options=_stored_options(options, population),
        uploaded_by=user,
    )
    _count(batch, plan)
    summary = plan_summary(plan)
    batch.errors = [problem.as_dict() for problem in plan.problems]
    # Only unknown CSPs can be waved through on confirm; any other problem rejects the file.
    batch.status = (
        ImportBatch.Status.REJECTED if plan.parsed.problems else ImportBatch.Status.PREVIEWED
    )
    batch.save()
    save_publication_notes(batch, plan)
    ImportUpload.objects.create(
        batch=batch,
        content=content if batch.status == ImportBatch.Status.PREVIEWED else b"",
        population=population,
        population_name=population_name,
        preview=summary,
    )
    return batch


@dataclass(frozen=True)
class ConfirmOutcome:
    """What confirming a preview did: the batch as it now stands, and whether it loaded."""

    batch: ImportBatch
    committed: bool  # False: the file no longer loads as previewed, and its preview is renewed


def confirm_upload(
    *, batch: ImportBatch, user: AbstractBaseUser, skip_unknown_csps: bool
) -> ConfirmOutcome:
    """Return the outcome of confirming a previewed upload: committed when nothing stops it.

    The file is read again from the bytes kept at preview, against the figures as they are
    now, so a change made by someone else since the preview is not overwritten unseen; if the
    file no longer loads as previewed, nothing is loaded and the preview shows why.
    Raises ImportRefused when the batch is not a preview or its kept file was altered.
    """
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != ImportBatch.Status.PREVIEWED:
            raise ImportRefused(NOT_PREVIEWED.format(status=batch.get_status_display().lower()))
        upload = batch.upload
        content = bytes(upload.content)
        if sha256_of(content) != batch.sha256:
            raise ImportRefused("The kept file does not match its SHA-256: upload it again.")
        stored = {k: v for k, v in batch.options.items() if k in ImportOptions.__annotations__}
        options = ImportOptions(**{**stored, "skip_unknown_csps": skip_unknown_csps})
        population = bytes(upload.population) if upload.population is not None else None
        parsed = parse_file(
            content,
            options,
            population,
            file_name=batch.file_name,
            population_name=upload.population_name,
        )
        plan = plan_import(parsed, options)
        committed = plan.can_commit and bool(plan.created or plan.updated)
        if committed:
            batch.options = _stored_options(options, population)
            commit_plan(plan=plan, batch=batch, user=user)
            upload.delete()  # the figures and the SHA-256 are the record; the bytes are not needed
        else:
            # The figures changed since the preview, or a problem appeared: show the new preview.
            upload.preview = plan_summary(plan)
            upload.save(update_fields=["preview"])
    batch.refresh_from_db()
    return ConfirmOutcome(batch=batch, committed=committed)


@transaction.atomic
def undo_batch(*, batch: ImportBatch, user: AbstractBaseUser | None) -> int:
    """Return how many figures were restored or removed, undoing a committed batch exactly."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportBatch.Status.COMMITTED:
        raise ImportRefused(NOT_COMMITTED.format(status=batch.get_status_display().lower()))
    bump(CRIME)  # bulk writes send no signals
    changes = list(batch.changes.all())
    figures = {
        (f.csp_id, f.period_id, f.category): f
        for f in CrimeFigure.objects.select_for_update().filter(
            batch__in=[batch], period__in={c.period_id for c in changes}
        )
    }
    if len(figures) != len(changes):
        later = (
            ImportBatch.objects.filter(
                figures__period__in={c.period_id for c in changes},
                figures__category__in={c.category for c in changes},
                figures__csp__in={c.csp_id for c in changes},
                created_at__gt=batch.created_at,
            )
            .distinct()
            .order_by("created_at")
        )
        names = ", ".join(f"#{b.pk} {b.file_name}" for b in later) or "unknown"
        raise ImportRefused(CHANGED_SINCE.format(count=len(changes) - len(figures), batches=names))
    reason = f"Undo of import batch {batch.pk}"[:100]
    restored = []
    removed = []
    for change in changes:
        figure = figures[(change.csp_id, change.period_id, change.category)]
        if change.created:
            removed.append(figure.pk)
            continue
        figure.rate, figure.offences = change.previous_rate, change.previous_offences
        figure.population, figure.batch_id = change.previous_population, change.previous_batch_id
        restored.append(figure)
    if restored:
        bulk_update_with_history(
            restored,
            CrimeFigure,
            ["rate", "offences", "population", "batch"],
            batch_size=WRITE_BATCH,
            default_user=user,
            default_change_reason=reason,
        )
    for figure in CrimeFigure.objects.filter(pk__in=removed):
        # One at a time so each removal is recorded in the figure's history.
        figure._change_reason = reason
        figure._history_user = user
        figure.delete()
    for period in batch.created_periods.all():
        if not period.figures.exists():
            period.delete()
    batch.status = ImportBatch.Status.UNDONE
    batch.undone_at = timezone.now()
    batch.save(update_fields=["status", "undone_at"])
    return len(changes)
