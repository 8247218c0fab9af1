"""Email each owner and lead a digest of their overdue and soon-due actions, and each duty
owner their duties falling due or overdue (cron-friendly). It lives on the top floor because it
sends for two apps: actions and partnership."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from actions.reminders import send_reminders
from partnership.reminders import send_duty_reminders


class Command(BaseCommand):
    help = (
        "Email each action owner and strategic lead a digest of their overdue and soon-due "
        "actions, and each duty owner their duties due within 30 days or overdue, once each "
        "however often it runs; prints what it sent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date", help="Judge as on this day (YYYY-MM-DD) instead of today, e.g. to re-run."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be sent; send nothing."
        )

    def handle(self, *args, date: str | None, dry_run: bool, **options) -> None:
        try:
            today = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--date must be a date like 2026-11-29, not {date!r}.") from error
        sent, unaddressed = send_reminders(today, dry_run=dry_run)
        verb = "Would send" if dry_run else "Sent"
        for digest in sent:
            who = digest.recipient.get_full_name() or digest.recipient.username
            self.stdout.write(
                f"{verb} to {who} <{digest.recipient.email}>: "
                f"{len(digest.overdue)} overdue, {len(digest.due_soon)} due soon"
            )
            for action in digest.overdue + digest.due_soon:
                self.stdout.write(f"  - {action.title}")
        for digest in unaddressed:
            self.stderr.write(
                f"Not sent to {digest.recipient.username}: no email address on their account."
            )
        self.stdout.write(
            f"{verb} {len(sent)} reminder email{'s' if len(sent) != 1 else ''} "
            f"for {today:%-d %b %Y}."
        )
        duties = send_duty_reminders(today, dry_run=dry_run)
        for occurrence, overdue in duties:
            state = "overdue" if overdue else "due"
            self.stdout.write(
                f"{verb} to {occurrence.owner.username}: {occurrence.duty.title} "
                f"({occurrence.label}) {state} {occurrence.due_on:%-d %b %Y}"
            )
        self.stdout.write(
            f"{verb} {len(duties)} duty reminder{'s' if len(duties) != 1 else ''} "
            f"for {today:%-d %b %Y}."
        )
