"""Writes of population loads: preview, confirm, the command's whole load, and undo.

A population load is an `ImportBatch` of format `population`, kept and undone as crime figure
batches are: the upload's bytes wait (server-side) between preview and confirm, and each
estimate the load created or revised is journalled in `PopulationChange`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from crime_stats.importers.batches import ImportRefused, sha256_of
from crime_stats.importers.populations import Estimate, PopulationFile, read_population_file
from crime_stats.importers.readers import safe_file_name
from crime_stats.models import ImportBatch, ImportUpload, PopulationChange, PopulationEstimate

NOT_PREVIEWED = "Only a previewed population file can be confirmed; this one is {status}."
NOT_COMMITTED = "Only a committed population load can be undone; this one is {status}."
CHANGED_SINCE = (
    "{count:,} of this load's estimates were changed since by a later load ({batches}): "
    "undo that first."
)
NOTHING_TO_LOAD = "The file gives no population estimate for any CSP: nothing was loaded."


@dataclass
class PopulationPlan:
    """What loading a population file would do: estimates created, revised and unchanged."""

    file: PopulationFile
    created: list[Estimate] = field(default_factory=list)
    updated: list[tuple[PopulationEstimate, Estimate]] = field(default_factory=list)
    unchanged: list[Estimate] = field(default_factory=list)

    @property
    def can_commit(self) -> bool:
        """Return True when the file has no problem and changes some estimate."""
        return not self.file.problems and bool(self.created or self.updated)


def plan_populations(content: bytes, *, file_name: str, year: int | None) -> PopulationPlan:
    """Return the plan of a population file against the stored estimates (writes nothing)."""
    plan = PopulationPlan(read_population_file(content, file_name=file_name, year=year))
    estimates = plan.file.estimates
    stored = {
        (e.csp_id, e.year): e
        for e in PopulationEstimate.objects.filter(
            csp__in={csp for csp, _ in estimates}, year__in={y for _, y in estimates}
        )
    }
    for key, estimate in sorted(estimates.items(), key=lambda i: (i[0][1], i[1].csp.label)):
        current = stored.get(key)
        if current is None:
            plan.created.append(estimate)
        elif current.population == estimate.population:
            plan.unchanged.append(estimate)
        else:
            plan.updated.append((current, estimate))
    return plan


def population_summary(plan: PopulationPlan, limit: int = 500) -> dict:
    """Return the plan as plain data for the preview page and the command."""
    file = plan.file
    return {
        "layout": file.layout,
        "rows_read": file.rows_read,
        "rows_ignored": file.rows_ignored,
        "years": file.years,
        "created_total": len(plan.created),
        "updated_total": len(plan.updated),
        "unchanged_total": len(plan.unchanged),
        "created": [[e.csp.label, e.year, e.population, e.how] for e in plan.created[:limit]],
        "updated": [
            [e.csp.label, e.year, current.population, e.population, e.how]
            for current, e in plan.updated[:limit]
        ],
        "missing": file.missing,
        "problems": [problem.as_dict() for problem in file.problems],
    }


def _source(batch: ImportBatch, estimate: Estimate) -> str:
    return f"{batch.file_name} (batch {batch.pk}): {estimate.how}"[:255]


@transaction.atomic
def commit_populations(*, plan: PopulationPlan, batch: ImportBatch) -> None:
    """Write every created and revised estimate of the plan as `batch`, journalled for undo."""
    if not plan.can_commit:
        raise ImportRefused("The file has problems or changes nothing; nothing was written.")
    PopulationEstimate.objects.bulk_create(
        [
            PopulationEstimate(
                csp=e.csp, year=e.year, population=e.population, source=_source(batch, e),
                batch=batch,
            )
            for e in plan.created
        ]
    )  # fmt: skip
    revised = []
    changes = [
        PopulationChange(batch=batch, csp=e.csp, year=e.year, created=True) for e in plan.created
    ]
    for current, estimate in plan.updated:
        changes.append(
            PopulationChange(
                batch=batch, csp=estimate.csp, year=estimate.year, created=False,
                previous_population=current.population, previous_source=current.source,
                previous_batch_id=current.batch_id,
            )
        )  # fmt: skip
        current.population, current.source = estimate.population, _source(batch, estimate)
        current.batch = batch
        revised.append(current)
    PopulationEstimate.objects.bulk_update(revised, ["population", "source", "batch"])
    PopulationChange.objects.bulk_create(changes)
    batch.status = ImportBatch.Status.COMMITTED
    batch.committed_at = timezone.now()
    _count(batch, plan)
    batch.errors = []
    batch.save()


def _count(batch: ImportBatch, plan: PopulationPlan) -> None:
    batch.rows_read = plan.file.rows_read
    batch.rows_created = len(plan.created)
    batch.rows_updated = len(plan.updated)
    batch.rows_unchanged = len(plan.unchanged)
    batch.rows_rejected = len({p.row for p in plan.file.problems if p.row is not None})
    batch.rows_skipped = plan.file.rows_ignored


def _new_batch(content: bytes, file_name: str, year: int | None, user) -> ImportBatch:
    return ImportBatch(
        file_name=safe_file_name(file_name),
        sha256=sha256_of(content),
        format=ImportBatch.Format.POPULATION,
        options={"year": year},
        uploaded_by=user,
    )


@transaction.atomic
def preview_populations(
    *, content: bytes, file_name: str, year: int | None, user: AbstractBaseUser
) -> ImportBatch:
    """Return a new population batch recording what the file would do; its bytes are kept."""
    plan = plan_populations(content, file_name=safe_file_name(file_name), year=year)
    batch = _new_batch(content, file_name, year, user)
    _count(batch, plan)
    batch.errors = [problem.as_dict() for problem in plan.file.problems]
    batch.status = (
        ImportBatch.Status.REJECTED if plan.file.problems else ImportBatch.Status.PREVIEWED
    )
    batch.save()
    ImportUpload.objects.create(
        batch=batch,
        content=content if batch.status == ImportBatch.Status.PREVIEWED else b"",
        preview=population_summary(plan),
    )
    return batch


def confirm_populations(*, batch: ImportBatch) -> PopulationPlan:
    """Return the plan of a previewed population file, committed when nothing stops it.

    The file is read again from the kept bytes against the estimates as they are now.
    """
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != ImportBatch.Status.PREVIEWED:
            raise ImportRefused(NOT_PREVIEWED.format(status=batch.get_status_display().lower()))
        upload = batch.upload
        content = bytes(upload.content)
        if sha256_of(content) != batch.sha256:
            raise ImportRefused("The kept file does not match its SHA-256: upload it again.")
        plan = plan_populations(content, file_name=batch.file_name, year=batch.options.get("year"))
        if not plan.can_commit:
            upload.preview = population_summary(plan)
            upload.save(update_fields=["preview"])
            return plan
        commit_populations(plan=plan, batch=batch)
        upload.delete()
    return plan


def load_populations(
    *, content: bytes, file_name: str, year: int | None, user=None, dry_run: bool = False
) -> tuple[PopulationPlan, ImportBatch | None]:
    """Return the plan and, when committed, its batch: the command's whole load."""
    plan = plan_populations(content, file_name=safe_file_name(file_name), year=year)
    if dry_run or not plan.can_commit:
        return plan, None
    with transaction.atomic():
        batch = _new_batch(content, file_name, year, user)
        batch.save()
        commit_populations(plan=plan, batch=batch)
    return plan, batch


@transaction.atomic
def undo_populations(*, batch: ImportBatch) -> int:
    """Return how many estimates were restored or removed, undoing a population load exactly."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportBatch.Status.COMMITTED or batch.format != "population":
        raise ImportRefused(NOT_COMMITTED.format(status=batch.get_status_display().lower()))
    changes = list(batch.population_changes.all())
    current = {
        (e.csp_id, e.year): e
        for e in PopulationEstimate.objects.select_for_update().filter(batch=batch)
    }
    if len(current) != len(changes):
        later = (
            ImportBatch.objects.filter(
                population_estimates__csp__in={c.csp_id for c in changes},
                population_estimates__year__in={c.year for c in changes},
                created_at__gt=batch.created_at,
            )
            .distinct()
            .order_by("created_at")
        )
        names = ", ".join(f"#{b.pk} {b.file_name}" for b in later) or "unknown"
        raise ImportRefused(CHANGED_SINCE.format(count=len(changes) - len(current), batches=names))
    removed, restored = [], []
    for change in changes:
        estimate = current[(change.csp_id, change.year)]
        if change.created:
            removed.append(estimate.pk)
            continue
        estimate.population, estimate.source = change.previous_population, change.previous_source
        estimate.batch_id = change.previous_batch_id
        restored.append(estimate)
    PopulationEstimate.objects.bulk_update(restored, ["population", "source", "batch"])
    PopulationEstimate.objects.filter(pk__in=removed).delete()
    batch.status = ImportBatch.Status.UNDONE
    batch.undone_at = timezone.now()
    batch.save(update_fields=["status", "undone_at"])
    return len(changes)
