"""SMART actions under the plan's work-streams, and the append-only progress logged on them."""

from __future__ import annotations

from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from priorities.models import CrossCuttingTheme, Partner, WorkStream


class ReviewCadence(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"


CADENCE_MONTHS = {ReviewCadence.MONTHLY: 1, ReviewCadence.QUARTERLY: 3}


class RagStatus(models.TextChoices):
    """An action's status as the partnership reports it; words always accompany the colour."""

    NOT_STARTED = "not_started", "Not started"
    GREEN = "green", "Green: on track"
    AMBER = "amber", "Amber: at risk"
    RED = "red", "Red: off track"
    COMPLETE = "complete", "Complete"


class Action(models.Model):
    """A SMART action: specific, measurable, achievable, realistic and timely."""

    work_stream = models.ForeignKey(WorkStream, on_delete=models.PROTECT, related_name="actions")
    # Specific
    title = models.CharField(max_length=200)
    description = models.TextField("what will be done")
    # Measurable
    indicator = models.CharField(max_length=200, help_text="What is counted to show progress.")
    baseline = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(max_digits=14, decimal_places=2)
    unit = models.CharField(max_length=60, help_text="For example: referrals, %, incidents.")
    # Achievable
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_actions"
    )
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="actions")
    # Realistic
    resources = models.TextField(blank=True, help_text="People, time and equipment committed.")
    funding = models.DecimalField(
        "SLP funding",
        max_digits=12,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    # Timely
    start_date = models.DateField()
    due_date = models.DateField()
    review_cadence = models.CharField(
        max_length=10, choices=ReviewCadence.choices, default=ReviewCadence.MONTHLY
    )
    themes = models.ManyToManyField(CrossCuttingTheme, blank=True, related_name="actions")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic concurrency: a save must name the version it was edited from.
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(m2m_fields=[themes])

    class Meta:
        ordering = ["work_stream", "due_date", "title"]
        constraints = [
            # Timely: an action cannot be due before it starts.
            models.CheckConstraint(
                condition=Q(due_date__gte=models.F("start_date")), name="action_due_after_start"
            ),
            models.CheckConstraint(condition=Q(funding__gte=0), name="action_funding_not_negative"),
            models.UniqueConstraint(fields=["work_stream", "title"], name="action_unique_title"),
        ]

    def __str__(self) -> str:
        return self.title

    def review_interval(self) -> relativedelta:
        """Return how long the action may go without an update before it is overdue."""
        return relativedelta(months=CADENCE_MONTHS[ReviewCadence(self.review_cadence)])


class ProgressUpdate(models.Model):
    """A dated report on an action. Append-only: a correction is a new update naming the old one."""

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="updates")
    reported_on = models.DateField("date")
    status = models.CharField("RAG status", max_length=12, choices=RagStatus.choices)
    indicator_value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    narrative = models.TextField()
    spend = models.DecimalField(
        "spend in the period",
        max_digits=12,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    next_steps = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="progress_updates"
    )
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        help_text="The earlier update this one corrects.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["action", "-reported_on", "-created_at"]
        get_latest_by = ["reported_on", "created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(spend__gte=0), name="update_spend_not_negative"),
        ]
        indexes = [
            # An action's current status is its latest update: read per action, newest first.
            models.Index(
                fields=["action", "-reported_on", "-created_at"], name="update_latest_per_action"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action}: {self.get_status_display()} on {self.reported_on:%d %b %Y}"
