"""Reminders of duties: each occurrence's owner hears once when it falls due soon and once when
it is overdue. `send_update_reminders` (slp_portal) sends these with the actions' digests."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from accounts.roles import can_read_everything
from actions.reminders import one_line
from partnership.models import DutyOccurrence, DutyReminderSent

DUTY_DUE_SOON_DAYS = 30


def duty_reminders_due(today: datetime.date) -> list[tuple[DutyOccurrence, bool]]:
    """Return (occurrence, overdue) for each open occurrence whose owner has not yet heard of it
    in that state: overdue, or due within DUTY_DUE_SOON_DAYS. A restricted duty's occurrence
    (a death review) is only ever sent to an owner who is an Admin or the Chair."""
    soon = today + datetime.timedelta(days=DUTY_DUE_SOON_DAYS)
    occurrences = (
        DutyOccurrence.objects.open()
        .filter(owner__isnull=False, owner__is_active=True, due_on__lte=soon)
        .select_related("duty", "owner")
        .order_by("due_on")
    )
    sent = set(
        DutyReminderSent.objects.filter(occurrence__in=occurrences).values_list(
            "recipient_id", "occurrence_id", "overdue"
        )
    )
    due = []
    for occurrence in occurrences:
        overdue = occurrence.due_on < today
        if (occurrence.owner_id, occurrence.pk, overdue) in sent:
            continue
        if occurrence.duty.restricted and not can_read_everything(occurrence.owner):
            continue
        due.append((occurrence, overdue))
    return due


def send_duty_reminders(today: datetime.date, *, dry_run: bool = False) -> list[tuple]:
    """Return (occurrence, overdue) for each reminder sent on `today` (or due, on a dry run)."""
    base_url = settings.PORTAL_BASE_URL.rstrip("/")
    sent = []
    for occurrence, overdue in duty_reminders_due(today):
        owner = occurrence.owner
        if not owner.email:
            continue
        if not dry_run:
            link = base_url + reverse("partnership:duty_occurrence", args=[occurrence.pk])
            state = "is overdue" if overdue else "falls due"
            with transaction.atomic():
                DutyReminderSent.objects.create(
                    recipient=owner, occurrence=occurrence, overdue=overdue
                )
                # Every name on one line, so stored text cannot add lines to the email.
                send_mail(
                    f"SLP Portal: statutory duty {state} on {occurrence.due_on:%-d %b %Y}",
                    f"Dear {one_line(owner.get_full_name() or owner.username)},\n\n"
                    f"{one_line(occurrence.duty.display_title)} ({one_line(occurrence.label)}) "
                    f"{state} on {occurrence.due_on:%-d %b %Y}.\n"
                    f"Legal basis: {one_line(occurrence.duty.legal_basis)}\n"
                    f"Record its status and evidence: {link}\n\nSafer Leicester Partnership",
                    None,
                    [owner.email],
                )
        sent.append((occurrence, overdue))
    return sent
