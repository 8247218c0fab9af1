"""SMART actions under the plan's work-streams, and the append-only progress logged on them."""

from __future__ import annotations

import datetime
from decimal import Decimal
from functools import reduce
from operator import or_

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from simple_history.models import HistoricalRecords

from accounts.roles import AnyUser, Role, can_read_everything, has_role, is_admin
from lib.financial_year import financial_year_expression
from priorities.fields import bounded_text, single_line, text_within
from priorities.models import CrossCuttingTheme, Partner, PlanVersion, Priority, WorkStream

# The SMART rules' messages; the form shows them beside the field and the tests reuse them.
NEEDS_INDICATOR = "Say what will be counted to show progress (Measurable)."
NEEDS_TARGET = "Give the target value of the indicator (Measurable)."
NEEDS_UNIT = "Give the unit the indicator is counted in, for example referrals or % (Measurable)."
NEEDS_OWNER = "Choose the person who owns the action (Achievable)."
DUE_BEFORE_START = "The due date must be on or after the start date (Timely)."
OUTSIDE_VERSION = "{field} must fall within {version}: {starts} to {ends} (Timely)."

# The longest free text each field holds (enforced by the form, the model and the database).
# A progress narrative of 5,000 characters is about 800 words, two sides of A4: more than a
# monthly or quarterly report needs, and an action's page with 100 such updates stays under
# 1 MB (unbounded, 16 updates of 9 MB made a 148 MB page). Descriptions, resources and next
# steps are a paragraph or two.
DESCRIPTION_MAX_CHARS = 2_000
RESOURCES_MAX_CHARS = 2_000
NARRATIVE_MAX_CHARS = 5_000
NEXT_STEPS_MAX_CHARS = 2_000


class ReviewCadence(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"


CADENCE_MONTHS = {ReviewCadence.MONTHLY: 1, ReviewCadence.QUARTERLY: 3}


def review_deadline(last_review: datetime.date, cadence: str) -> datetime.date:
    """Return the last day an update may wait until: `last_review` plus the cadence's months."""
    return last_review + relativedelta(months=CADENCE_MONTHS[ReviewCadence(cadence)])


def review_cutoff(as_of: datetime.date, cadence: str) -> datetime.date:
    """Return the earliest last-review date that is not overdue on `as_of`.

    `review_deadline(r) < as_of` exactly when `r < review_cutoff(as_of)`; month arithmetic
    clamps at month ends (31 Jan + 1 month = 28 Feb), so the simple inverse is nudged a day or
    two until the SQL filter and `Action.is_overdue` agree on every day of the year.
    """
    cutoff = as_of - relativedelta(months=CADENCE_MONTHS[ReviewCadence(cadence)])
    while review_deadline(cutoff, cadence) < as_of:
        cutoff += datetime.timedelta(days=1)
    while review_deadline(cutoff - datetime.timedelta(days=1), cadence) >= as_of:
        cutoff -= datetime.timedelta(days=1)
    return cutoff


def readable_priorities(user: AnyUser) -> models.QuerySet[Priority]:
    """Return the priorities whose work the user may read: every one for Admin and Chair; for
    a lead or owner, those they lead, lead a work-stream in or own actions in."""
    if can_read_everything(user):
        return Priority.objects.all()
    return Priority.objects.filter(
        Q(strategic_lead=user)
        | Q(work_streams__strategic_lead=user)
        | Q(work_streams__actions__owner=user)
    ).distinct()


class RagStatus(models.TextChoices):
    """An action's status as the partnership reports it; words always accompany the colour."""

    NOT_STARTED = "not_started", "Not started"
    GREEN = "green", "Green: on track"
    AMBER = "amber", "Amber: at risk"
    RED = "red", "Red: off track"
    COMPLETE = "complete", "Complete"


class ActionQuerySet(models.QuerySet):
    """Reads of actions: scope by role, progress annotations, overdue and the tracker's filters."""

    def visible_to(self, user: AnyUser) -> ActionQuerySet:
        """Return the actions the user may read (Admin and Chair: all; others: their priorities)."""
        if not user.is_authenticated:
            return self.none()
        if can_read_everything(user):
            return self
        return self.filter(work_stream__priority__in=readable_priorities(user))

    def led_by(self, user: AnyUser) -> ActionQuerySet:
        """Return the actions under work-streams the user leads (`WorkStream.objects.led_by`)."""
        return self.filter(work_stream__in=WorkStream.objects.led_by(user))

    def editable_by(self, user: AnyUser) -> ActionQuerySet:
        """Return the actions the user may edit: Admin all, a lead those they lead."""
        if is_admin(user):
            return self
        if not has_role(user, Role.STRATEGIC_LEAD):
            return self.none()
        return self.led_by(user)

    def reportable_by(self, user: AnyUser) -> ActionQuerySet:
        """Return the actions the user may log progress on: editable ones and their own."""
        if is_admin(user):
            return self
        if has_role(user, Role.STRATEGIC_LEAD):
            return self.filter(Q(work_stream__in=WorkStream.objects.led_by(user)) | Q(owner=user))
        if has_role(user, Role.ACTION_OWNER):
            return self.filter(owner=user)
        return self.none()

    def mine(self, user: AnyUser) -> ActionQuerySet:
        """Return a user's own actions: those they own and those they lead."""
        return self.filter(Q(owner=user) | Q(work_stream__in=WorkStream.objects.led_by(user)))

    def with_progress(self) -> ActionQuerySet:
        """Return the actions annotated with their latest current update and review start.

        `current_status` is the latest update's RAG status ("" before the first update),
        `last_reported_on` its date, `reviewed_from` that date or else the start date.
        """
        if "current_status" in self.query.annotations:
            return self
        latest = ProgressUpdate.objects.latest_first().filter(action=OuterRef("pk"))
        return self.annotate(
            current_status=Coalesce(Subquery(latest.values("status")[:1]), Value("")),
            last_reported_on=Subquery(latest.values("reported_on")[:1]),
            reviewed_from=Coalesce(Subquery(latest.values("reported_on")[:1]), F("start_date")),
        )

    def in_version(self, version: PlanVersion) -> ActionQuerySet:
        return self.filter(work_stream__priority__version=version)

    def for_priority(self, priority: Priority) -> ActionQuerySet:
        return self.filter(work_stream__priority=priority)

    def for_work_stream(self, work_stream: WorkStream) -> ActionQuerySet:
        return self.filter(work_stream=work_stream)

    def for_partner(self, partner: Partner) -> ActionQuerySet:
        return self.filter(partner=partner)

    def with_theme(self, theme: CrossCuttingTheme) -> ActionQuerySet:
        return self.filter(themes=theme)

    def with_status(self, status: str) -> ActionQuerySet:
        """Return the actions whose current RAG status is `status` ("" for no update yet)."""
        return self.with_progress().filter(current_status=status)

    def overdue(self, today: datetime.date) -> ActionQuerySet:
        """Return the actions overdue on `today` (see `Action.is_overdue`)."""
        return (
            self.with_progress()
            .exclude(current_status=RagStatus.COMPLETE)
            .filter(_overdue_condition(today))
        )

    def not_overdue(self, today: datetime.date) -> ActionQuerySet:
        """Return the actions that are not overdue on `today`."""
        return self.with_progress().exclude(pk__in=self.model.objects.overdue(today).values("pk"))

    def with_overdue_flag(self, today: datetime.date) -> ActionQuerySet:
        """Return the actions annotated with `overdue` (1 or 0), for sorting overdue first."""
        return self.with_progress().annotate(
            overdue=Case(
                When(
                    Q(_overdue_condition(today)) & ~Q(current_status=RagStatus.COMPLETE),
                    then=Value(1),
                ),
                default=Value(0),
                output_field=IntegerField(),
            )
        )

    def needing_attention(self, today: datetime.date) -> ActionQuerySet:
        """Return the actions that are overdue on `today` or whose current status is red."""
        return self.with_overdue_flag(today).filter(Q(overdue=1) | Q(current_status=RagStatus.RED))

    def with_next_steps(self) -> ActionQuerySet:
        """Return the actions annotated with `next_steps` from their latest current update."""
        latest = ProgressUpdate.objects.latest_first().filter(action=OuterRef("pk"))
        return self.annotate(next_steps=Subquery(latest.values("next_steps")[:1]))

    def for_listing(self) -> ActionQuerySet:
        """Return the actions with what a list row shows fetched in the same query."""
        return self.select_related(
            "work_stream__priority__version", "owner", "partner"
        ).prefetch_related("themes")


def _overdue_condition(today: datetime.date) -> Q:
    """Return the filter on `reviewed_from` that marks actions overdue on `today`.

    After its plan version ends an action expects no further updates, so it is judged as at
    the version's last day: a 2019/20 action reads as it stood on 31 March 2020.
    """
    conditions = [
        Q(
            work_stream__priority__version_id=version_id,
            review_cadence=cadence,
            reviewed_from__lt=review_cutoff(min(today, ends_on), cadence),
        )
        for version_id, ends_on in PlanVersion.objects.values_list("pk", "ends_on")
        for cadence in ReviewCadence.values
    ]
    return reduce(or_, conditions, Q(pk__in=[]))


class Action(models.Model):
    """A SMART action: specific, measurable, achievable, realistic and timely."""

    work_stream = models.ForeignKey(WorkStream, on_delete=models.PROTECT, related_name="actions")
    # Specific
    # One line: a title goes into reminder emails, where a line break could forge lines.
    title = models.CharField(max_length=200, validators=[single_line])
    description = bounded_text(DESCRIPTION_MAX_CHARS, "what will be done")
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
    resources = bounded_text(
        RESOURCES_MAX_CHARS, blank=True, help_text="People, time and equipment committed."
    )
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

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["work_stream", "due_date", "title"]
        constraints = [
            # Timely: an action cannot be due before it starts.
            models.CheckConstraint(
                condition=Q(due_date__gte=models.F("start_date")), name="action_due_after_start"
            ),
            models.CheckConstraint(condition=Q(funding__gte=0), name="action_funding_not_negative"),
            models.UniqueConstraint(fields=["work_stream", "title"], name="action_unique_title"),
            # Bounded text: the action's page and exports stay small whatever is posted.
            text_within("description", DESCRIPTION_MAX_CHARS, "action_description_bounded"),
            text_within("resources", RESOURCES_MAX_CHARS, "action_resources_bounded"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        """Refuse an action that is not SMART, naming each field that fails and why."""
        # Missing indicator, target, unit or owner fail the fields' own required checks; the
        # form words those with the NEEDS_* messages. Here: the rules across fields.
        errors: dict[str, str] = {}
        if self.start_date and self.due_date and self.due_date < self.start_date:
            errors["due_date"] = DUE_BEFORE_START
        if self.work_stream_id is not None:
            version = self.work_stream.priority.version
            for name in ("start_date", "due_date"):
                day = getattr(self, name)
                if day and not version.contains(day) and name not in errors:
                    errors[name] = OUTSIDE_VERSION.format(
                        field=self._meta.get_field(name).verbose_name.capitalize(),
                        version=version.name,
                        starts=f"{version.starts_on:%-d %b %Y}",
                        ends=f"{version.ends_on:%-d %b %Y}",
                    )
        if errors:
            raise ValidationError(errors)

    def _progress(self) -> tuple[str, datetime.date | None]:
        """Return the current RAG status and last update date, from annotations when present."""
        if hasattr(self, "current_status"):
            return self.current_status, self.last_reported_on
        latest = self.updates.latest_first().first()
        return (latest.status, latest.reported_on) if latest else ("", None)

    def review_as_of(self, today: datetime.date) -> datetime.date:
        """Return the day the action is judged on: today, or its plan version's end if earlier."""
        return min(today, self.work_stream.priority.version.ends_on)

    def next_review_due(self) -> datetime.date:
        """Return the last day the next update may be dated without the action being overdue."""
        _, last = self._progress()
        return review_deadline(last or self.start_date, self.review_cadence)

    def is_overdue(self, today: datetime.date) -> bool:
        """Return True when the action is overdue on `today`.

        Overdue: not complete, and the day it is judged on (today, or its plan version's last
        day if that is earlier) is later than its review deadline: the date of its latest
        current update (its start date before the first update) plus one calendar month for a
        monthly review cadence or three for a quarterly one.
        """
        status, _ = self._progress()
        if status == RagStatus.COMPLETE:
            return False
        return self.review_as_of(today) > self.next_review_due()


# An action's updates, the latest first: by the date reported on, then by when written.
LATEST_FIRST = ["-reported_on", "-created_at"]


class ProgressUpdateQuerySet(models.QuerySet):
    def current(self) -> ProgressUpdateQuerySet:
        """Return the updates no later update corrects (the ones that count)."""
        # NOT EXISTS, not a LEFT JOIN … IS NULL: inside the per-action "latest update"
        # subqueries PostgreSQL 15 turns the join into a scan of every correction per action
        # and misjudges row counts (bench/dashboard.py: the dashboard took 3 s at 50,000 updates).
        corrections = ProgressUpdate.objects.filter(corrects=OuterRef("pk"))
        return self.filter(~Exists(corrections))

    def latest_first(self) -> ProgressUpdateQuerySet:
        """Return the current updates, the latest first: an action's first is its status."""
        return self.current().order_by(*LATEST_FIRST)

    def spend_by_work_stream_and_year(self) -> dict[tuple[int, int], Decimal]:
        """Return current spend summed per (work-stream id, financial year), in one query."""
        rows = (
            self.current()
            .annotate(financial_year=financial_year_expression("reported_on"))
            .values("action__work_stream_id", "financial_year")
            .annotate(total=Sum("spend"))
            .order_by()
        )
        return {
            (row["action__work_stream_id"], row["financial_year"]): row["total"] for row in rows
        }


class ProgressUpdate(models.Model):
    """A dated report on an action. Append-only: a correction is a new update naming the old one."""

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="updates")
    reported_on = models.DateField("date")
    status = models.CharField("RAG status", max_length=12, choices=RagStatus.choices)
    indicator_value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    narrative = bounded_text(NARRATIVE_MAX_CHARS)
    spend = models.DecimalField(
        "spend in the period",
        max_digits=12,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    next_steps = bounded_text(NEXT_STEPS_MAX_CHARS, blank=True)
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
    # The progress form's idempotency key: a form sent twice (a double click, a retry after a
    # timeout) carries the same key and stores one update (actions.services).
    submission_key = models.UUIDField(null=True, blank=True, editable=False)

    objects = ProgressUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["action", *LATEST_FIRST]
        get_latest_by = ["reported_on", "created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(spend__gte=0), name="update_spend_not_negative"),
            # An update is corrected at most once, so "current" (uncorrected) updates form one
            # line per report and spend is never counted twice.
            models.UniqueConstraint(fields=["corrects"], name="update_corrected_once"),
            # One update per progress form sent, however often it is sent.
            models.UniqueConstraint(fields=["submission_key"], name="update_submitted_once"),
            # Bounded text: an action's timeline and the dashboard's next steps stay small.
            text_within("narrative", NARRATIVE_MAX_CHARS, "update_narrative_bounded"),
            text_within("next_steps", NEXT_STEPS_MAX_CHARS, "update_next_steps_bounded"),
        ]
        indexes = [
            # An action's current status is its latest update: read per action, newest first.
            models.Index(fields=["action", *LATEST_FIRST], name="update_latest_per_action"),
        ]

    def __str__(self) -> str:
        return f"{self.action}: {self.get_status_display()} on {self.reported_on:%d %b %Y}"


class ClosedPeriodQuerySet(models.QuerySet):
    def containing(self, day: datetime.date) -> ClosedPeriodQuerySet:
        """Return the closed periods that `day` falls in."""
        return self.filter(starts_on__lte=day, ends_on__gte=day)


class ClosedPeriod(models.Model):
    """A month or quarter an Admin has closed: no progress may be dated in it any more."""

    starts_on = models.DateField()
    ends_on = models.DateField()
    reason = models.CharField(
        max_length=200, blank=True, help_text="For example: figures reported to the SLP board."
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="closed_periods"
    )
    closed_at = models.DateTimeField(auto_now_add=True)

    objects = ClosedPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = "closed progress period"
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="closedperiod_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_on:%-d %b %Y} to {self.ends_on:%-d %b %Y}"


class ReminderSent(models.Model):
    """One action named in one reminder to one person, for the cadence period it fell in.

    `send_update_reminders` names an action to a person at most once per review period, so
    running the command often (hourly from cron, say) sends each reminder once.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="update_reminders"
    )
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="reminders")
    period_starts_on = models.DateField(help_text="First day of the month or quarter reminded.")
    overdue = models.BooleanField(help_text="Overdue when sent (otherwise due soon).")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            # Once per cadence period however often the command runs.
            models.UniqueConstraint(
                fields=["recipient", "action", "period_starts_on"], name="reminder_once_per_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} to {self.recipient} for {self.period_starts_on:%b %Y}"
