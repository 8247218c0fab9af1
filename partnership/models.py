"""The partnership's year: board meetings and the packs issued to them, the statutory duties it
owes, and the outcome indicators its priorities are judged by.

This app sits above `actions` and `crime_stats` (it reads both); nothing below imports it.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from accounts.roles import AnyUser, can_read_everything
from priorities.fields import bounded_text, single_line, text_within
from priorities.models import Priority

PAPERS_MAX_LENGTH = 5000
# A duty's description and legal basis are a paragraph each (the seeded ones are at most 325
# characters); the form, the model and the database hold them to this.
DUTY_TEXT_MAX_CHARS = 2_000


class BoardMeetingQuerySet(models.QuerySet):
    def before(self, day: datetime.date) -> BoardMeetingQuerySet:
        """Return the meetings held before `day`, latest first."""
        return self.filter(held_on__lt=day).order_by("-held_on")


class BoardMeeting(models.Model):
    """A meeting of the SLP board: its date, title and the papers put to it."""

    held_on = models.DateField("date")
    title = models.CharField(max_length=200, validators=[single_line])
    papers = bounded_text(
        PAPERS_MAX_LENGTH,
        blank=True,
        help_text="The papers put to the board, one per line (titles or links).",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="board_meetings"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BoardMeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on"]
        constraints = [
            # "Since the last meeting" needs one previous meeting for each date.
            models.UniqueConstraint(fields=["held_on"], name="meeting_one_per_day"),
            text_within("papers", PAPERS_MAX_LENGTH, "meeting_papers_bounded"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%-d %b %Y})"

    def previous(self) -> BoardMeeting | None:
        """Return the meeting held before this one, or None for the first."""
        return BoardMeeting.objects.before(self.held_on).first()

    def paper_lines(self) -> list[str]:
        """Return the papers, one per non-blank line."""
        return [line.strip() for line in self.papers.splitlines() if line.strip()]


class IssuedPack(models.Model):
    """The board pack as the chair issued it to a meeting, frozen: later imports, corrections
    and progress never change it. `html` is the pack's body exactly as rendered; `content`
    holds its figures, headline text, the charts' data and the data sources with their SHA-256;
    `sha256` is the digest of both, so a reopened pack can be shown to be the one issued."""

    meeting = models.OneToOneField(
        BoardMeeting, on_delete=models.PROTECT, related_name="issued_pack"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="issued_packs"
    )
    issued_at = models.DateTimeField()
    html = models.TextField()
    content = models.JSONField()
    sha256 = models.CharField("SHA-256", max_length=64)

    class Meta:
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"Pack for {self.meeting}, issued {self.issued_at:%-d %b %Y %H:%M}"


class Cadence(models.TextChoices):
    ANNUAL = "annual", "Every year"
    THREE_YEARLY = "three_yearly", "Every three years"
    PER_MEETING = "per_meeting", "At each meeting"
    PER_CASE = "per_case", "For each case"
    AS_AGREED = "as_agreed", "On the dates agreed"


class DutyQuerySet(models.QuerySet):
    def visible_to(self, user: AnyUser) -> DutyQuerySet:
        """Return the duties the user may see: restricted ones (Domestic Homicide / Domestic
        Abuse Related Death Reviews) only for Admin and Chair."""
        if not user.is_authenticated:
            return self.none()
        if can_read_everything(user):
            return self
        return self.filter(restricted=False)

    def get_by_natural_key(self, slug: str) -> Duty:
        return self.get(slug=slug)


class Duty(models.Model):
    """Something the law requires of the partnership, with the provision that requires it."""

    slug = models.SlugField(max_length=80, unique=True)
    # One line: a duty's title goes into reminder emails.
    title = models.CharField(max_length=200, validators=[single_line])
    description = bounded_text(DUTY_TEXT_MAX_CHARS)
    legal_basis = bounded_text(
        DUTY_TEXT_MAX_CHARS, help_text="The statute or regulation, by section."
    )
    source_url = models.URLField(help_text="Where the provision can be read (legislation.gov.uk).")
    cadence = models.CharField(max_length=20, choices=Cadence.choices)
    receiving_body = models.CharField(
        max_length=200,
        blank=True,
        help_text="Who the document goes to, where the duty is to send it (the Police and Crime "
        "Commissioner today; a mayor or policing board where those functions pass to one).",
    )
    restricted = models.BooleanField(
        default=False, help_text="Case-level detail only Admin and Chair may see."
    )
    order = models.PositiveSmallIntegerField(default=0)

    objects = DutyQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "duties"
        ordering = ["order", "title"]
        constraints = [
            text_within("description", DUTY_TEXT_MAX_CHARS, "duty_description_bounded"),
            text_within("legal_basis", DUTY_TEXT_MAX_CHARS, "duty_legal_basis_bounded"),
        ]

    def __str__(self) -> str:
        return self.display_title

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    @property
    def display_title(self) -> str:
        """Return the title, naming the receiving body where the duty has one."""
        if self.receiving_body:
            return f"{self.title}: {self.receiving_body}"
        return self.title


class OccurrenceStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class DutyOccurrenceQuerySet(models.QuerySet):
    def visible_to(self, user: AnyUser) -> DutyOccurrenceQuerySet:
        """Return the occurrences of the duties the user may see (`Duty.objects.visible_to`)."""
        return self.filter(duty__in=Duty.objects.visible_to(user))

    def open(self) -> DutyOccurrenceQuerySet:
        """Return the occurrences not yet done."""
        return self.exclude(status=OccurrenceStatus.DONE)

    def overdue(self, today: datetime.date) -> DutyOccurrenceQuerySet:
        """Return the occurrences not done whose due date is before `today`."""
        return self.open().filter(due_on__lt=today)

    def due_within(self, today: datetime.date, days: int) -> DutyOccurrenceQuerySet:
        """Return the occurrences not done that fall due from `today` to `days` days after."""
        return self.open().filter(
            due_on__gte=today, due_on__lte=today + datetime.timedelta(days=days)
        )

    def for_listing(self) -> DutyOccurrenceQuerySet:
        return self.select_related("duty", "owner").order_by("due_on", "duty__order")


class DutyOccurrence(models.Model):
    """One time a duty falls due (a year's strategic assessment, a review's milestone)."""

    duty = models.ForeignKey(Duty, on_delete=models.PROTECT, related_name="occurrences")
    label = models.CharField(
        max_length=200, help_text="For example: 2026/27, or a review's milestone."
    )
    due_on = models.DateField("due")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duty_occurrences",
    )
    status = models.CharField(
        max_length=12, choices=OccurrenceStatus.choices, default=OccurrenceStatus.NOT_STARTED
    )
    completed_on = models.DateField(null=True, blank=True)
    evidence_link = models.URLField(blank=True, max_length=500)
    evidence_name = models.CharField(max_length=255, blank=True)
    evidence_file = models.BinaryField(null=True, blank=True, editable=False)
    evidence_sha256 = models.CharField("evidence SHA-256", max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["evidence_file"])

    objects = DutyOccurrenceQuerySet.as_manager()

    class Meta:
        ordering = ["due_on"]
        constraints = [
            # Done means done on a date: the changes list and the register show it.
            models.CheckConstraint(
                condition=~Q(status="done") | Q(completed_on__isnull=False),
                name="occurrence_done_has_date",
            ),
            models.UniqueConstraint(fields=["duty", "label"], name="occurrence_unique_label"),
        ]
        indexes = [
            # /duties/ and the dashboard read open occurrences by due date.
            models.Index(fields=["status", "due_on"], name="occurrence_status_due"),
        ]

    def __str__(self) -> str:
        return f"{self.duty}: {self.label}"

    def is_overdue(self, today: datetime.date) -> bool:
        """Return True when not done and due before `today` (as `overdue()` filters)."""
        return self.status != OccurrenceStatus.DONE and self.due_on < today

    @property
    def has_evidence(self) -> bool:
        """Return True when a link or a document has been given."""
        return bool(self.evidence_link or self.evidence_name)


class IndicatorSource(models.TextChoices):
    CRIME = "crime", "Crime figures (the focus CSP's rate)"
    LOCAL = "local", "Local measure entered each quarter"


class Direction(models.TextChoices):
    LOWER = "lower", "Lower is better"
    HIGHER = "higher", "Higher is better"


class OutcomeIndicator(models.Model):
    """An outcome a priority's work should move: a crime category's rate for the focus CSP, or
    a local measure its strategic lead enters each quarter."""

    priority = models.ForeignKey(Priority, on_delete=models.PROTECT, related_name="indicators")
    name = models.CharField(max_length=200)
    source = models.CharField(max_length=10, choices=IndicatorSource.choices)
    category = models.CharField(
        max_length=120, blank=True, help_text="For crime figures: the category, as loaded."
    )
    unit = models.CharField(max_length=60, help_text="For example: crimes per 1,000, %.")
    target = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    direction = models.CharField(max_length=10, choices=Direction.choices)

    class Meta:
        ordering = ["priority", "name"]
        constraints = [
            models.UniqueConstraint(fields=["priority", "name"], name="indicator_unique_name"),
            # A crime indicator must say which category it follows.
            models.CheckConstraint(
                condition=~Q(source="crime") | ~Q(category=""),
                name="indicator_crime_has_category",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.priority.letter}. {self.name}"

    def clean(self) -> None:
        if self.source == IndicatorSource.CRIME and not self.category:
            raise ValidationError({"category": "Name the crime category this indicator follows."})


QUARTER_ENDS = {(6, 30), (9, 30), (12, 31), (3, 31)}
NOT_A_QUARTER_END = (
    "Give the last day of a quarter: 30 June, 30 September, 31 December or 31 March."
)


class IndicatorValue(models.Model):
    """A local indicator's value for one quarter, entered by the priority's strategic lead."""

    indicator = models.ForeignKey(OutcomeIndicator, on_delete=models.CASCADE, related_name="values")
    quarter_ends_on = models.DateField("quarter ending")
    value = models.DecimalField(max_digits=14, decimal_places=3)
    note = models.CharField(max_length=500, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="indicator_values"
    )
    entered_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "quarter_ends_on"]
        constraints = [
            # One value per quarter: entering it again corrects it (history keeps the old one).
            models.UniqueConstraint(
                fields=["indicator", "quarter_ends_on"], name="value_one_per_quarter"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value} in the quarter to {self.quarter_ends_on}"

    def clean(self) -> None:
        day = self.quarter_ends_on
        if day and (day.month, day.day) not in QUARTER_ENDS:
            raise ValidationError({"quarter_ends_on": NOT_A_QUARTER_END})


class DutyReminderSent(models.Model):
    """One duty occurrence named in one reminder to its owner: once as due soon, once overdue.

    `send_update_reminders` may run hourly; these rows make each reminder go once.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="duty_reminders"
    )
    occurrence = models.ForeignKey(
        DutyOccurrence, on_delete=models.CASCADE, related_name="reminders"
    )
    overdue = models.BooleanField(help_text="Overdue when sent (otherwise due soon).")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # Once as due soon and once as overdue, however often the command runs.
            models.UniqueConstraint(
                fields=["recipient", "occurrence", "overdue"], name="duty_reminder_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occurrence} to {self.recipient}"
