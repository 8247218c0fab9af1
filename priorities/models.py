"""The partnership's plan: partners, plan versions, priorities, themes and work-streams."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from lib.financial_year import financial_year_label, financial_year_of
from priorities.fields import bounded_text, single_line, text_within

# The longest free text each field holds (form, model and database). The plan's own texts
# are far shorter (its vision is 208 characters, its longest theme description 736, its
# longest priority wording under 150); a paragraph or two is all these fields are for.
VISION_MAX_CHARS = 2_000
WORDING_MAX_CHARS = 1_000
DESCRIPTION_MAX_CHARS = 2_000


class NameQuerySet(models.QuerySet):
    """Reference data whose natural key is its unique name."""

    def get_by_natural_key(self, name: str) -> models.Model:
        return self.get(name=name)


class NamedReference(models.Model):
    """Reference data known by a unique `name`: its natural key, its order and its label."""

    objects = NameQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.name,)


class Partner(NamedReference):
    """An SLP member organisation."""

    name = models.CharField(max_length=160, unique=True)


class PlanQuerySet(models.QuerySet):
    def get_by_natural_key(self, title: str) -> Plan:
        return self.get(title=title)


class Plan(models.Model):
    """The partnership's community safety plan and its vision."""

    title = models.CharField(max_length=200, unique=True)
    vision = bounded_text(VISION_MAX_CHARS)
    starts_on = models.DateField()
    ends_on = models.DateField()

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="plan_ends_after_start"
            ),
            text_within("vision", VISION_MAX_CHARS, "plan_vision_bounded"),
        ]

    def __str__(self) -> str:
        return self.title

    def natural_key(self) -> tuple[str]:
        return (self.title,)


class PlanVersionQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug: str) -> PlanVersion:
        return self.get(slug=slug)


class PlanVersion(models.Model):
    """One version of the plan: the original priorities or an annual refresh, with its own dates."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80, unique=True)
    starts_on = models.DateField()
    ends_on = models.DateField()

    objects = PlanVersionQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "starts_on", "ends_on"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="planversion_unique_name"),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="planversion_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def contains(self, day: datetime.date) -> bool:
        """Return True when `day` falls within the version's dates."""
        return self.starts_on <= day <= self.ends_on

    def financial_years(self) -> list[int]:
        """Return the financial years the version runs through, by first year (2019 = 2019/20)."""
        return list(range(financial_year_of(self.starts_on), financial_year_of(self.ends_on) + 1))


class PriorityQuerySet(models.QuerySet):
    def get_by_natural_key(self, version_slug: str, letter: str) -> Priority:
        return self.get(version__slug=version_slug, letter=letter)

    def led_by(self, user: settings.AUTH_USER_MODEL) -> PriorityQuerySet:
        """Return the priorities the user is strategic lead of."""
        return self.filter(strategic_lead=user)


class Priority(models.Model):
    """One of a plan version's priorities (a–f), worded as that version words it."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="priorities")
    letter = models.CharField(
        max_length=1, validators=[RegexValidator(r"^[a-z]$", "A priority's letter is a–z.")]
    )
    wording = bounded_text(WORDING_MAX_CHARS)
    focus_areas = models.JSONField(
        default=list, blank=True, help_text="The focus areas the plan lists under the priority."
    )
    strategic_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_priorities",
    )

    objects = PriorityQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "priorities"
        ordering = ["version", "letter"]
        constraints = [
            # A plan version has one priority per letter; refreshes are compared letter by letter.
            models.UniqueConstraint(fields=["version", "letter"], name="priority_unique_letter"),
            models.CheckConstraint(
                condition=Q(letter__regex=r"^[a-z]$"), name="priority_letter_a_to_z"
            ),
            text_within("wording", WORDING_MAX_CHARS, "priority_wording_bounded"),
        ]

    def __str__(self) -> str:
        return f"{self.letter}. {self.wording}"

    def natural_key(self) -> tuple[str, str]:
        return (self.version.slug, self.letter)

    natural_key.dependencies = ["priorities.planversion"]


class CrossCuttingTheme(NamedReference):
    """A theme that runs through every priority (communications, re-offending, safeguarding)."""

    name = models.CharField(max_length=120, unique=True)
    description = bounded_text(DESCRIPTION_MAX_CHARS, blank=True)

    class Meta(NamedReference.Meta):
        constraints = [
            text_within("description", DESCRIPTION_MAX_CHARS, "theme_description_bounded"),
        ]


class WorkStreamQuerySet(models.QuerySet):
    def led_by(self, user: settings.AUTH_USER_MODEL) -> WorkStreamQuerySet:
        """Return the work-streams the user leads: as their strategic lead or their priority's.

        The one rule for leading delivery: a priority's strategic lead leads every work-stream
        under it; a work-stream's own strategic lead leads that work-stream. Whoever leads a
        work-stream edits its actions, logs progress on them, sees them in My actions and is
        reminded of them.
        """
        return self.filter(Q(strategic_lead=user) | Q(priority__strategic_lead=user))


class WorkStream(models.Model):
    """A work-stream, operational group or JAG delivering one priority, with a strategic lead."""

    class Kind(models.TextChoices):
        WORK_STREAM = "work_stream", "Work-stream"
        OPERATIONAL_GROUP = "operational_group", "Operational group"
        JAG = "jag", "Joint Action Group (JAG)"

    priority = models.ForeignKey(Priority, on_delete=models.PROTECT, related_name="work_streams")
    # One line: the name goes into reminder emails beside each action's title.
    name = models.CharField(max_length=200, validators=[single_line])
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.WORK_STREAM)
    description = bounded_text(DESCRIPTION_MAX_CHARS, blank=True)
    strategic_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="led_work_streams"
    )
    # Optimistic concurrency: an edit names the version it was loaded at (priorities.services).
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    objects = WorkStreamQuerySet.as_manager()

    class Meta:
        verbose_name = "work-stream"
        ordering = ["priority", "name"]
        constraints = [
            models.UniqueConstraint(fields=["priority", "name"], name="workstream_unique_name"),
            text_within("description", DESCRIPTION_MAX_CHARS, "workstream_description_bounded"),
        ]

    def __str__(self) -> str:
        return self.name


class FundingAllocation(models.Model):
    """The SLP funding allocated to a work-stream for one financial year."""

    work_stream = models.ForeignKey(
        WorkStream, on_delete=models.CASCADE, related_name="allocations"
    )
    financial_year = models.PositiveSmallIntegerField(
        help_text="The year the financial year starts in: 2019 for 2019/20."
    )
    amount = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["work_stream", "financial_year"]
        constraints = [
            # Spend is compared with exactly one allocation per work-stream and year.
            models.UniqueConstraint(
                fields=["work_stream", "financial_year"], name="allocation_unique_year"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="allocation_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.work_stream}: £{self.amount:,.2f} in {self.financial_year_label}"

    @property
    def financial_year_label(self) -> str:
        """Return the financial year as `2019/20`."""
        return financial_year_label(self.financial_year)
