"""Reminder digests: each owner and lead hears of their overdue and soon-due actions.

An action is named to a person at most once per review period (the calendar month for a
monthly review, the quarter for a quarterly one), whatever how often the command runs; the
`ReminderSent` rows are the record of what went out.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from actions.models import Action, RagStatus, ReminderSent, ReviewCadence

DUE_SOON_DAYS = 14


def review_period_start(day: datetime.date, cadence: str) -> datetime.date:
    """Return the first day of the month (monthly) or quarter (quarterly) holding `day`."""
    if cadence == ReviewCadence.QUARTERLY:
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return day.replace(day=1)


def one_line(text: str) -> str:
    """Return the text on one line: every run of whitespace, line breaks included, one space.

    Titles are one line in the model, but an email must not trust that: a line break in a
    title could add lines of its own ("URGENT: reset your password at …").
    """
    return " ".join(str(text).split())


@dataclass
class Digest:
    """One person's reminder: their overdue actions and those due an update soon."""

    recipient: User
    overdue: list[Action] = field(default_factory=list)
    due_soon: list[Action] = field(default_factory=list)

    def subject(self) -> str:
        """Return the email's subject line, counting what needs attention."""
        parts = []
        if self.overdue:
            parts.append(f"{len(self.overdue)} overdue")
        if self.due_soon:
            parts.append(f"{len(self.due_soon)} due soon")
        return f"SLP Portal: progress updates needed ({', '.join(parts)})"

    def body(self, base_url: str) -> str:
        """Return the plain-text email: one line per action with its link to log progress."""
        name = one_line(self.recipient.get_full_name() or self.recipient.username)
        lines = [f"Dear {name},", ""]
        for heading, actions in (
            ("Overdue: no update within the review cadence", self.overdue),
            (f"Due an update within {DUE_SOON_DAYS} days", self.due_soon),
        ):
            if not actions:
                continue
            lines.append(f"{heading}:")
            for action in actions:
                link = base_url + reverse("actions:update", args=[action.pk])
                lines.append(
                    f"- {one_line(action.title)} (priority {action.work_stream.priority.letter}, "
                    f"{one_line(action.work_stream.name)}): update due by "
                    f"{action.next_review_due():%-d %b %Y}. Log progress: {link}"
                )
            lines.append("")
        lines.append("This reminder is sent once per review period. Safer Leicester Partnership")
        return "\n".join(lines)


def digests_due(today: datetime.date) -> list[Digest]:
    """Return the digests to send on `today`, leaving out actions already reminded this period.

    Only actions of plan versions still running are reminded: an ended version expects no more
    updates. Each action goes to its owner and to those who lead it: its work-stream's strategic
    lead and its priority's.
    """
    actions = (
        Action.objects.filter(
            work_stream__priority__version__ends_on__gte=today, start_date__lte=today
        )
        .with_overdue_flag(today)
        .exclude(current_status=RagStatus.COMPLETE)
        .select_related(
            "owner",
            "work_stream__strategic_lead",
            "work_stream__priority__strategic_lead",
            "work_stream__priority__version",
        )
        .order_by("reviewed_from", "title")
    )
    sent = set(
        ReminderSent.objects.filter(
            period_starts_on__gte=review_period_start(today, ReviewCadence.QUARTERLY)
        ).values_list("recipient_id", "action_id", "period_starts_on")
    )
    digests: dict[int, Digest] = {}
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    for action in actions:
        due_soon = not action.overdue and action.next_review_due() <= soon
        if not (action.overdue or due_soon):
            continue
        period = review_period_start(today, action.review_cadence)
        # Its owner and whoever leads it (`WorkStream.objects.led_by`): the work-stream's lead
        # and the priority's.
        recipients = {
            action.owner,
            action.work_stream.strategic_lead,
            action.work_stream.priority.strategic_lead,
        } - {None}
        for person in sorted(recipients, key=lambda u: u.pk):
            if (person.pk, action.pk, period) in sent or not person.is_active:
                continue
            digest = digests.setdefault(person.pk, Digest(recipient=person))
            (digest.overdue if action.overdue else digest.due_soon).append(action)
    return list(digests.values())


def send_reminders(
    today: datetime.date, *, dry_run: bool = False
) -> tuple[list[Digest], list[Digest]]:
    """Return the digests sent on `today` (or due, on a dry run) and those with no address."""
    base_url = settings.PORTAL_BASE_URL.rstrip("/")
    sent: list[Digest] = []
    unaddressed: list[Digest] = []
    for digest in digests_due(today):
        if not digest.recipient.email:
            unaddressed.append(digest)
            continue
        if dry_run:
            sent.append(digest)
            continue
        # Record and send together: a failed send rolls back the record, so it is retried.
        with transaction.atomic():
            ReminderSent.objects.bulk_create(
                [
                    ReminderSent(
                        recipient=digest.recipient,
                        action=action,
                        period_starts_on=review_period_start(today, action.review_cadence),
                        overdue=action in digest.overdue,
                    )
                    for action in digest.overdue + digest.due_soon
                ]
            )
            send_mail(
                digest.subject(),
                digest.body(base_url),
                None,
                [digest.recipient.email],
            )
        sent.append(digest)
    return sent, unaddressed
