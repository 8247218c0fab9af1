"""Writes of the import pipeline: check an upload, commit a plan as a batch, undo a batch.

The slow parts (reading a file, comparing it, writing figures) run in the worker (crime_stats/
tasks.py), which passes a Progress; the command calls the same services without one. Every
write of figures takes one lock first (`lock_import_writes`), so two imports never interleave,
and re-reads the stored figures inside it.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.utils import timezone

from crime_stats.importers.pipeline import ImportPlan, parse_file, plan_import
from crime_stats.importers.preview import national_summary, save_publication_notes
from crime_stats.importers.progress import NO_PROGRESS, Progress, estimate_rows
from crime_stats.importers.readers import safe_file_name
from crime_stats.importers.records import ImportOptions
from crime_stats.importers.writes import (
    create_periods,
    record_history,
    undo_figures,
    write_created,
    write_revised,
)
from crime_stats.models import CrimeFigure, ImportBatch, ImportUpload
from generations.counters import CRIME, bump

NOT_PREVIEWED = "Only a previewed upload can be confirmed; this one is {status}."
NOT_COMMITTED = "Only a committed batch can be undone; this one is {status}."
SEED_NOT_UNDONE = "The seed data is the plan's own table: it cannot be undone."
NOT_CHECKING = "Only an upload being checked can be checked; this one is {status}."
CHANGED_SINCE = (
    "{count:,} of this batch's figures were changed since by a later import ({batches}): "
    "undo that first."
)
CHANGED_SINCE_PREVIEW = (
    "Nothing was loaded: the figures in the portal changed since the preview (another import "
    "was loaded meanwhile), so the file no longer does what the preview showed. The preview "
    "below now compares the file with the figures as they are: check it and confirm again."
)
NO_LONGER_LOADS = "Nothing was loaded: the file no longer loads as previewed."
PREVIEW_LIMIT = 500  # rows of each list kept for the preview page; totals are always exact
# pg_advisory_xact_lock's key for "an import is writing figures": any fixed 64-bit number that
# nothing else in the database uses; these are the bytes of "SLPimprt".
IMPORT_LOCK_KEY = int.from_bytes(b"SLPimprt", "big")


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


def confirm_refusal(batch: ImportBatch) -> str:
    """Return why the batch cannot be confirmed as it stands, or "" when it can be."""
    if batch.status != ImportBatch.Status.PREVIEWED:
        return NOT_PREVIEWED.format(status=batch.get_status_display().lower())
    return ""


def undo_refusal(batch: ImportBatch) -> str:
    """Return why the batch cannot be undone as it stands, or "" when it can be."""
    if batch.status != ImportBatch.Status.COMMITTED:
        return NOT_COMMITTED.format(status=batch.get_status_display().lower())
    if batch.format == ImportBatch.Format.SEED:
        return SEED_NOT_UNDONE
    return ""


def lock_import_writes() -> None:
    """Wait for the lock every write of figures takes, and hold it until the transaction ends.

    Two confirms revising the same figures at once would otherwise both read the figures as
    they were, both write, and the later would record the earlier's values as never having
    been there: a revision lost that no undo could bring back. PostgreSQL: a transaction-level
    advisory lock. SQLite lets one connection write at a time, but a transaction takes that
    lock only at its first write, after its reads: a write that matches no row takes it now.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("lock_import_writes() holds its lock for a transaction: open one.")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])
        elif connection.vendor == "sqlite":
            table = connection.ops.quote_name(ImportBatch._meta.db_table)
            cursor.execute(f"UPDATE {table} SET id = id WHERE 0")  # noqa: S608 (no input)


def plan_digest(plan: ImportPlan) -> str:
    """Return a SHA-256 of what the plan found: each figure's fate and the stored values it read.

    Confirm compares the digest made at preview with one made inside the import lock: if any
    figure the file touches was created, revised or removed meanwhile, they differ.
    """
    lines = [f"+ {f.csp.pk} {f.period.start} {f.period.end} {f.category}" for f in plan.created]
    lines += [
        f"~ {c.pk} {c.rate} {c.offences} {c.population} {c.batch_id} {f.rate} {f.offences} "
        f"{f.population}"
        for c, f in plan.updated
    ]
    lines += [f"= {f.csp.pk} {f.period.start} {f.period.end} {f.category}" for f in plan.unchanged]
    return hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()


@transaction.atomic
def commit_plan(
    *,
    plan: ImportPlan,
    batch: ImportBatch,
    user: AbstractBaseUser | None,
    progress: Progress = NO_PROGRESS,
) -> None:
    """Write every created and revised figure of the plan as `batch`, journalled for undo.

    Set-based (crime_stats/importers/writes.py): a statement per chunk of figures, none per
    figure. The caller holds the import lock and made the plan inside it.
    """
    if not plan.can_commit:
        raise ImportRefused("The file has problems; nothing was written.")
    bump(CRIME)  # set-based writes send no signals: the dashboard's cached sections go stale
    reason = f"Import batch {batch.pk}: {batch.file_name}"
    periods = dict(plan.periods)
    periods.update(create_periods(batch=batch, specs=plan.new_periods))
    progress.phase(
        "Writing the figures", total=len(plan.created) + len(plan.updated), unit="figures"
    )
    write_created(batch=batch, figures=plan.created, periods=periods, progress=progress)
    write_revised(batch=batch, revisions=plan.updated, progress=progress)
    record_history(batch=batch, user=user, reason=reason, when=timezone.now())
    progress.checkpoint()
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
    parsed = parse_file(content, options, population, file_name=file_name)
    if dry_run:
        return plan_import(parsed, options), None
    with transaction.atomic():
        lock_import_writes()
        plan = plan_import(parsed, options)
        if not plan.can_commit or not (plan.created or plan.updated):
            return plan, None
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


def _kept_options(batch: ImportBatch, **changes: object) -> ImportOptions:
    stored = {k: v for k, v in batch.options.items() if k in ImportOptions.__annotations__}
    return ImportOptions(**{**stored, **changes})


def _compressed(chunks: Iterable[bytes]) -> tuple[bytes, str]:
    """Return the chunks zlib-compressed (level 1: fast) and the SHA-256 of the original bytes.

    Read a chunk at a time, so an upload on disk is never all in memory at once.
    """
    compressor, digest, parts = zlib.compressobj(1), hashlib.sha256(), []
    for chunk in chunks:
        digest.update(chunk)
        parts.append(compressor.compress(chunk))
    parts.append(compressor.flush())
    return b"".join(parts), digest.hexdigest()


@transaction.atomic
def upload_store(
    *,
    content: bytes | Iterable[bytes],
    file_name: str,
    options: ImportOptions,
    population: bytes | None,
    population_name: str,
    user: AbstractBaseUser,
) -> ImportBatch:
    """Return a new batch holding an uploaded file until it is checked, then confirmed.

    `content` is the file's bytes, or its chunks as read from the upload. It is kept
    compressed (a 101 MB CSV as 7.5 MB). The names are the browser's: only their base names
    are kept, never a path.
    """
    kept, sha256 = _compressed([content] if isinstance(content, bytes) else content)
    batch = ImportBatch.objects.create(
        file_name=safe_file_name(file_name),
        sha256=sha256,
        format=options.format,
        options=_stored_options(options, population),
        uploaded_by=user,
        status=ImportBatch.Status.CHECKING,
    )
    ImportUpload.objects.create(
        batch=batch,
        content=kept,
        population=None if population is None else zlib.compress(population, 1),
        population_name=safe_file_name(population_name) if population_name else "",
        compressed=True,
    )
    return batch


def _read_kept_file(batch: ImportBatch, upload: ImportUpload, options: ImportOptions, progress):
    content = upload.kept_content()
    if sha256_of(content) != batch.sha256:
        raise ImportRefused("The kept file does not match its SHA-256: upload it again.")
    population = upload.kept_population()
    progress.phase("Reading and checking the file", total=estimate_rows(content), unit="rows")
    parsed = parse_file(
        content,
        options,
        population,
        file_name=batch.file_name,
        population_name=upload.population_name,
        progress=progress,
    )
    return parsed, population


def check_upload(*, batch: ImportBatch, progress: Progress = NO_PROGRESS) -> ImportBatch:
    """Return the batch previewed (or rejected): what its kept file would do, nothing written.

    Reading and comparing happen outside any transaction, so a cancel between chunks leaves
    the batch as it was; only the outcome is saved, in one short transaction.
    """
    batch = ImportBatch.objects.select_related("upload").get(pk=batch.pk)
    if batch.status != ImportBatch.Status.CHECKING:
        raise ImportRefused(NOT_CHECKING.format(status=batch.get_status_display().lower()))
    upload = batch.upload
    options = _kept_options(batch)
    parsed, _population = _read_kept_file(batch, upload, options, progress)
    progress.phase("Comparing the file with the figures in the portal")
    plan = plan_import(parsed, options)
    summary, digest = plan_summary(plan), plan_digest(plan)
    progress.checkpoint()
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update(no_key=True).get(pk=batch.pk)
        if batch.status != ImportBatch.Status.CHECKING:
            raise ImportRefused(NOT_CHECKING.format(status=batch.get_status_display().lower()))
        _count(batch, plan)
        batch.format = plan.parsed.format or ""
        batch.errors = [problem.as_dict() for problem in plan.problems]
        # Only unknown CSPs can be waved through on confirm; any other problem rejects the file.
        rejected = bool(plan.parsed.problems)
        batch.status = ImportBatch.Status.REJECTED if rejected else ImportBatch.Status.PREVIEWED
        batch.save()
        upload.preview, upload.plan_digest = summary, digest
        if rejected:
            upload.content = b""  # a rejected file is never confirmed: keep only the record
        upload.save()
        save_publication_notes(batch, plan)
    return batch


def cancel_check(*, batch: ImportBatch) -> None:
    """Mark a batch whose check was cancelled, and drop its kept file: nothing is left of it."""
    with transaction.atomic():
        updated = ImportBatch.objects.filter(
            pk=batch.pk, status=ImportBatch.Status.CHECKING
        ).update(status=ImportBatch.Status.CANCELLED)
        if updated:
            ImportUpload.objects.filter(batch=batch).delete()


@dataclass(frozen=True)
class ConfirmOutcome:
    """What confirming a preview did: the batch as it now stands, and whether it loaded."""

    batch: ImportBatch
    committed: bool  # False: the file no longer loads as previewed, and its preview is renewed
    message: str = ""  # why not, when it did not load


def confirm_upload(
    *,
    batch: ImportBatch,
    user: AbstractBaseUser,
    skip_unknown_csps: bool,
    progress: Progress = NO_PROGRESS,
) -> ConfirmOutcome:
    """Return the outcome of confirming a previewed upload: committed when nothing stops it.

    The kept file is read again (outside any lock: the slow part), then, holding the import
    lock, compared with the figures as they are now. If those are not what the preview
    compared with (another import was loaded meanwhile, or is being loaded right now), nothing
    is written and the preview is renewed. Raises ImportRefused when the batch is not a
    preview or its kept file was altered.
    """
    batch = ImportBatch.objects.select_related("upload").get(pk=batch.pk)
    if refusal := confirm_refusal(batch):
        raise ImportRefused(refusal)
    upload = batch.upload
    options = _kept_options(batch, skip_unknown_csps=skip_unknown_csps)
    parsed, population = _read_kept_file(batch, upload, options, progress)
    with transaction.atomic(), progress.writing():
        lock_import_writes()
        batch = ImportBatch.objects.select_for_update(no_key=True).get(pk=batch.pk)
        if refusal := confirm_refusal(batch):  # another confirm got there first
            raise ImportRefused(refusal)
        progress.phase("Comparing the file with the figures in the portal")
        plan = plan_import(parsed, options)
        digest = plan_digest(plan)
        message = ""
        if digest != upload.plan_digest:
            message = CHANGED_SINCE_PREVIEW
        elif not plan.can_commit or not (plan.created or plan.updated):
            message = NO_LONGER_LOADS
        if message:
            _count(batch, plan)
            batch.save()
            upload.preview, upload.plan_digest = plan_summary(plan), digest
            upload.save(update_fields=["preview", "plan_digest"])
        else:
            batch.options = _stored_options(options, population)
            commit_plan(plan=plan, batch=batch, user=user, progress=progress)
            upload.delete()  # the figures and the SHA-256 are the record; the bytes are not needed
    batch.refresh_from_db()
    return ConfirmOutcome(batch=batch, committed=not message, message=message)


def undo_batch(
    *, batch: ImportBatch, user: AbstractBaseUser | None, progress: Progress = NO_PROGRESS
) -> int:
    """Return how many figures were restored or removed, undoing a committed batch exactly."""
    with transaction.atomic(), progress.writing():
        lock_import_writes()
        batch = ImportBatch.objects.select_for_update(no_key=True).get(pk=batch.pk)
        if refusal := undo_refusal(batch):
            raise ImportRefused(refusal)
        bump(CRIME)  # set-based writes send no signals: the dashboard's cached sections go stale
        changes = batch.changes.count()
        holding = CrimeFigure.objects.filter(batch=batch).count()
        if holding != changes:
            later = (
                ImportBatch.objects.filter(
                    changes__previous_batch=batch, status=ImportBatch.Status.COMMITTED
                )
                .distinct()
                .order_by("created_at")
            )
            names = ", ".join(f"#{b.pk} {b.file_name}" for b in later) or "unknown"
            raise ImportRefused(CHANGED_SINCE.format(count=changes - holding, batches=names))
        undo_figures(
            batch=batch,
            user=user,
            reason=f"Undo of import batch {batch.pk}",
            when=timezone.now(),
            progress=progress,
        )
        batch.status = ImportBatch.Status.UNDONE
        batch.undone_at = timezone.now()
        batch.save(update_fields=["status", "undone_at"])
    return changes
