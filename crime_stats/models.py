"""Crime statistics: CSPs, their Most Similar Groups, reporting periods and crime rates."""

from __future__ import annotations

import datetime
import zlib
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from crime_stats.names import normalise_name

ALL_CRIME = "All crime"


class CSPQuerySet(models.QuerySet):
    def get_by_natural_key(self, force: str, name: str) -> CSP:
        return self.get(force=force, name=name)


class CSP(models.Model):
    """A Community Safety Partnership, labelled `Force - CSP` as the Home Office does."""

    name = models.CharField(max_length=120)
    force = models.CharField("police force", max_length=120)
    ons_code = models.CharField(
        "ONS area code",
        max_length=9,
        blank=True,
        validators=[
            RegexValidator(r"^(E22|W14)\d{6}$", "An ONS CSP code is E22 or W14 and six digits.")
        ],
    )

    objects = CSPQuerySet.as_manager()

    class Meta:
        verbose_name = "CSP"
        verbose_name_plural = "CSPs"
        ordering = ["force", "name"]
        constraints = [
            # Natural key: fixtures and imports find a CSP by force and name.
            models.UniqueConstraint(fields=["force", "name"], name="csp_unique_force_name"),
            # Imports match by ONS code; two CSPs must never share one.
            models.UniqueConstraint(
                fields=["ons_code"], condition=~Q(ons_code=""), name="csp_unique_ons_code"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def natural_key(self) -> tuple[str, str]:
        return (self.force, self.name)

    @property
    def label(self) -> str:
        """Return the Home Office label, `Force - CSP`."""
        return f"{self.force} - {self.name}"

    def match_keys(self, aliases: Iterable[str] = ()) -> set[str]:
        """Return the normalised names an import may use for this CSP: label and name, each
        also under the given aliases (other publishers' spellings). Codes are matched apart."""
        keys = set()
        for name in (self.name, *aliases):
            keys.add(normalise_name(f"{self.force} - {name}"))
            keys.add(normalise_name(name))
        return keys


class ComparisonGroupQuerySet(models.QuerySet):
    def get_by_natural_key(self, name: str) -> ComparisonGroup:
        return self.get(name=name)


class ComparisonGroup(models.Model):
    """A Home Office Most Similar Group: a focus CSP and the CSPs it is compared with."""

    name = models.CharField(max_length=120, unique=True)
    focus = models.ForeignKey(CSP, on_delete=models.PROTECT, related_name="focus_of_groups")
    members = models.ManyToManyField(CSP, through="GroupMembership", related_name="groups")

    objects = ComparisonGroupQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.name,)


class GroupMembership(models.Model):
    """A CSP's membership of a comparison group from `valid_from` until `valid_to` (open-ended)."""

    group = models.ForeignKey(ComparisonGroup, on_delete=models.CASCADE, related_name="memberships")
    csp = models.ForeignKey(CSP, on_delete=models.PROTECT, related_name="memberships")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["group", "csp", "valid_from"]
        constraints = [
            # One membership row per CSP per revision of the group; load_seed upserts on this.
            models.UniqueConstraint(
                fields=["group", "csp", "valid_from"], name="membership_unique_start"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="membership_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        until = f" to {self.valid_to:%d %b %Y}" if self.valid_to else ""
        return f"{self.csp} in {self.group} from {self.valid_from:%d %b %Y}{until}"

    def covers(self, day: datetime.date) -> bool:
        """Return True when the membership holds on `day` (the rule every comparison applies)."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class ReportingPeriodQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug: str) -> ReportingPeriod:
        return self.get(slug=slug)


class ReportingPeriod(models.Model):
    """A span of months within one financial year (April–March) that figures are reported for."""

    label = models.CharField(max_length=80)
    slug = models.SlugField(max_length=80, unique=True)
    start = models.DateField()
    end = models.DateField()

    objects = ReportingPeriodQuerySet.as_manager()

    class Meta:
        ordering = ["start", "end"]
        constraints = [
            models.UniqueConstraint(fields=["start", "end"], name="period_unique_dates"),
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="period_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    @property
    def span(self) -> tuple[int, int, int, int]:
        """Return (start month, start day, end month, end day); only equal spans compare."""
        return (self.start.month, self.start.day, self.end.month, self.end.day)


class CrimeFigure(models.Model):
    """A CSP's crimes per 1,000 population in one period and crime category."""

    csp = models.ForeignKey(CSP, on_delete=models.PROTECT, related_name="figures")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="figures")
    category = models.CharField(max_length=120, default=ALL_CRIME)
    rate = models.DecimalField(
        "crimes per 1,000",
        max_digits=10,
        decimal_places=3,
        validators=[MinValueValidator(Decimal(0))],
    )
    offences = models.IntegerField(null=True, blank=True)
    population = models.PositiveIntegerField(null=True, blank=True)
    batch = models.ForeignKey(
        "ImportBatch", on_delete=models.PROTECT, null=True, blank=True, related_name="figures"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["period", "category", "csp"]
        constraints = [
            # One figure per CSP, period and category: imports upsert on this natural key.
            models.UniqueConstraint(fields=["csp", "period", "category"], name="figure_unique_key"),
            # A rate is a count over a population; negative rates are data errors.
            models.CheckConstraint(condition=Q(rate__gte=0), name="figure_rate_not_negative"),
            models.CheckConstraint(
                condition=Q(offences__isnull=True) | Q(offences__gte=0),
                name="figure_offences_not_negative",
            ),
        ]
        indexes = [
            # The comparison page reads one period and category for every member CSP.
            models.Index(fields=["period", "category"], name="figure_period_category"),
        ]

    def __str__(self) -> str:
        return f"{self.csp.label}, {self.period}, {self.category}: {self.rate}"


class ImportBatchQuerySet(models.QuerySet):
    def for_figures(self, *, period: ReportingPeriod, category: str) -> ImportBatchQuerySet:
        """Return the batches that set the figures of a period and category: their sources."""
        return self.filter(figures__period=period, figures__category=category).distinct()


class ImportBatch(models.Model):
    """One file loaded by an admin: its provenance, counts, outcome and row-level problems."""

    class Format(models.TextChoices):
        WIDE = "wide", "Wide (the plan's table)"
        LONG = "long", "Long (one row per CSP, period and category)"
        ONS = "ons", "Home Office open data (ONS)"
        SEED = "seed", "Seed data"
        POPULATION = "population", "Population estimates"

    class Status(models.TextChoices):
        CHECKING = "checking", "Being checked"
        PREVIEWED = "previewed", "Previewed"
        COMMITTED = "committed", "Committed"
        UNDONE = "undone", "Undone"
        REJECTED = "rejected", "Rejected"
        CANCELLED = "cancelled", "Cancelled"

    file_name = models.CharField(max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    format = models.CharField(max_length=10, choices=Format.choices)
    options = models.JSONField(default=dict, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="import_batches",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEWED)
    rows_read = models.PositiveIntegerField(default=0)
    rows_created = models.PositiveIntegerField(default=0)
    rows_updated = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    rows_skipped = models.PositiveIntegerField(
        default=0, help_text="Rows naming CSPs that are not in the portal, skipped on request."
    )
    created_periods = models.ManyToManyField(
        ReportingPeriod,
        blank=True,
        related_name="created_by_batches",
        help_text="Periods this batch created; undoing it removes them again if left empty.",
    )
    errors = models.JSONField(
        "row-level error report",
        default=list,
        blank=True,
        help_text="A list of {row, column, message} for every problem found.",
    )

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "import batches"
        ordering = ["-created_at"]
        indexes = [
            # The data-loading page lists batches newest first.
            models.Index(fields=["-created_at"], name="batch_newest_first"),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()}, {self.created_at:%d %b %Y})"


class FigureChange(models.Model):
    """What one committed batch did to one figure, so undoing the batch restores it exactly.

    A figure the batch created has `created` set and no previous values; a figure it revised
    keeps the values and the batch it had before.
    """

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="changes")
    csp = models.ForeignKey(CSP, on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="+")
    category = models.CharField(max_length=120)
    created = models.BooleanField()
    previous_rate = models.DecimalField(max_digits=10, decimal_places=3, null=True, blank=True)
    previous_offences = models.IntegerField(null=True, blank=True)
    previous_population = models.PositiveIntegerField(null=True, blank=True)
    previous_batch = models.ForeignKey(
        ImportBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # What the batch set, so a revision is written in one UPDATE per chunk from these rows.
    new_rate = models.DecimalField(max_digits=10, decimal_places=3, null=True, blank=True)
    new_offences = models.IntegerField(null=True, blank=True)
    new_population = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            # A batch writes each figure once; undo reads one row per figure.
            models.UniqueConstraint(
                fields=["batch", "csp", "period", "category"], name="change_unique_per_batch"
            ),
        ]

    def __str__(self) -> str:
        action = "created" if self.created else f"revised from {self.previous_rate}"
        return f"{self.csp}, {self.period}, {self.category}: {action}"


class ImportUpload(models.Model):
    """An uploaded file kept between preview and confirm (server-side, never by its name)."""

    batch = models.OneToOneField(ImportBatch, on_delete=models.CASCADE, related_name="upload")
    content = models.BinaryField()
    population_name = models.CharField(max_length=255, blank=True)
    population = models.BinaryField(null=True, blank=True)
    preview = models.JSONField(default=dict, help_text="What the preview found, for its page.")
    compressed = models.BooleanField(
        default=False,
        help_text="Content and population kept zlib-compressed: a 101 MB CSV keeps as 7.5 MB, "
        "and storing it takes 2.8 s and 64 MB instead of 12.4 s and 770 MB.",
    )
    plan_digest = models.CharField(
        max_length=64,
        blank=True,
        help_text="SHA-256 of the stored figures the preview compared the file with; confirm "
        "refuses when they changed since.",
    )

    def __str__(self) -> str:
        return f"Upload for {self.batch}"

    def kept_content(self) -> bytes:
        """Return the uploaded file's bytes as they were uploaded."""
        content = bytes(self.content)
        return zlib.decompress(content) if self.compressed and content else content

    def kept_population(self) -> bytes | None:
        """Return the population table's bytes as uploaded, or None when none was given."""
        if self.population is None:
            return None
        population = bytes(self.population)
        return zlib.decompress(population) if self.compressed else population


class ImportJobQuerySet(models.QuerySet):
    def active(self) -> ImportJobQuerySet:
        """Return the jobs waiting for the worker or running in it."""
        return self.filter(state__in=ImportJob.ACTIVE_STATES)


class ImportJob(models.Model):
    """One run of an import's slow work in the worker: checking a file, loading it, undoing it.

    The batch page polls it for progress. The worker writes it through a connection of its own,
    outside the transaction that writes the figures (which never locks this row), so progress
    and a cancel request cross while the figures are written all or nothing.
    """

    class Kind(models.TextChoices):
        CHECK = "check", "Checking the file"
        CONFIRM = "confirm", "Loading the figures"
        UNDO = "undo", "Undoing the import"

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting for the worker"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Done"
        REFUSED = "refused", "Refused"  # it ran, and found a reason not to go ahead
        FAILED = "failed", "Failed"  # an error, or its worker stopped: it can be run again
        CANCELLED = "cancelled", "Cancelled"

    ACTIVE_STATES = (State.QUEUED, State.RUNNING)

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="jobs")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    arguments = models.JSONField(default=dict, blank=True, help_text="What the admin chose.")
    task_id = models.CharField("task result id", max_length=64, blank=True)
    phase = models.CharField(max_length=120, blank=True)
    done = models.PositiveBigIntegerField(default=0)
    total = models.PositiveBigIntegerField(null=True, blank=True, help_text="Blank: not known.")
    unit = models.CharField(max_length=20, default="rows")
    enqueued_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    cancel_requested = models.BooleanField(default=False)
    message = models.CharField(max_length=2000, blank=True, help_text="The outcome, as shown.")

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-enqueued_at", "-pk"]
        constraints = [
            # One job at a time per batch: a double click, or two admins, cannot start a second.
            models.UniqueConstraint(
                fields=["batch"],
                condition=Q(state__in=["queued", "running"]),
                name="job_one_active_per_batch",
            ),
        ]
        indexes = [
            # The batch page and its progress endpoint read a batch's latest job.
            models.Index(fields=["batch", "-enqueued_at"], name="job_latest_per_batch"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for batch {self.batch_id}: {self.get_state_display()}"

    @property
    def is_active(self) -> bool:
        """Return True while the job waits for the worker or runs in it."""
        return self.state in self.ACTIVE_STATES

    def is_stale(self, now: datetime.datetime) -> bool:
        """Return True when the job runs but its worker has not been heard from for too long."""
        if self.state != self.State.RUNNING:
            return False
        last = self.heartbeat_at or self.started_at or self.enqueued_at
        return (now - last).total_seconds() > settings.IMPORT_JOB_STALE_SECONDS

    def is_waiting_long(self, now: datetime.datetime) -> bool:
        """Return True when the job has waited for a worker long enough to doubt one is running."""
        waited = (now - self.enqueued_at).total_seconds()
        return self.state == self.State.QUEUED and waited > settings.IMPORT_JOB_STALE_SECONDS / 4

    @property
    def percent(self) -> int | None:
        """Return the share done of the current phase in whole percent, or None when unknown."""
        if not self.total:
            return None
        return min(100, self.done * 100 // self.total)


# Models kept in modules of their own topic, registered with the app here. Those modules name
# these models by string and never import this one, so the imports run one way.
from crime_stats.areas import CSPAlias, LocalAuthority  # noqa: E402
from crime_stats.estimates import PopulationChange, PopulationEstimate  # noqa: E402
from crime_stats.publication import ForceNote, PublicationNotes  # noqa: E402

__all__ = [
    "ALL_CRIME",
    "CSP",
    "CSPAlias",
    "ComparisonGroup",
    "CrimeFigure",
    "FigureChange",
    "ForceNote",
    "GroupMembership",
    "ImportBatch",
    "ImportJob",
    "ImportUpload",
    "LocalAuthority",
    "PopulationChange",
    "PopulationEstimate",
    "PublicationNotes",
    "ReportingPeriod",
]
