"""send_update_reminders: one digest per person per review period, however often it runs."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command

from actions.models import ReminderSent
from actions.reminders import review_period_start

pytestmark = pytest.mark.django_db


def run(date: str) -> str:
    out = io.StringIO()
    call_command("send_update_reminders", "--date", date, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_review_periods_are_months_and_financial_quarters():
    assert review_period_start(datetime.date(2020, 2, 19), "monthly") == datetime.date(2020, 2, 1)
    assert review_period_start(datetime.date(2020, 2, 19), "quarterly") == datetime.date(2020, 1, 1)
    assert review_period_start(datetime.date(2019, 6, 30), "quarterly") == datetime.date(2019, 4, 1)


def test_run_twice_sends_once_and_says_what_it_sent(owner, lead):
    first = run("2020-02-10")
    by_person = {m.to[0]: m for m in mail.outbox}
    sent_count = len(mail.outbox)
    assert sent_count >= 2
    owner_mail = by_person["owner@example.org"]
    assert "Weapons amnesty bins" in owner_mail.body
    assert "Test purchase operations" not in owner_mail.body  # the lead's own action
    assert "/actions/" in owner_mail.body and "/update/" in owner_mail.body
    lead_mail = by_person["lead@example.org"]
    # The lead hears of every overdue or soon-due action under priority a.
    assert "Weapons amnesty bins" in lead_mail.body
    assert "Sent to Sam Okafor <owner@example.org>:" in first
    assert f"Sent {sent_count} reminder emails for 10 Feb 2020." in first
    records = ReminderSent.objects.count()

    second = run("2020-02-20")
    assert len(mail.outbox) == sent_count  # nothing new
    assert "Sent 0 reminder emails for 20 Feb 2020." in second
    assert ReminderSent.objects.count() == records


def test_a_new_month_reminds_again_of_what_is_still_overdue(owner):
    run("2020-02-10")
    mail.outbox.clear()
    run("2020-03-02")
    assert "Weapons amnesty bins" in {m.to[0]: m for m in mail.outbox}["owner@example.org"].body


def test_ended_plan_versions_send_nothing():
    assert "Sent 0 reminder emails for 29 Nov 2026." in run("2026-11-29")
    # Statutory duties may still fall due (tests/partnership/test_duties.py); actions do not.
    assert [m for m in mail.outbox if "progress updates" in m.subject] == []


def test_dry_run_sends_and_records_nothing():
    out = io.StringIO()
    call_command("send_update_reminders", "--date", "2020-02-10", "--dry-run", stdout=out)
    assert "Would send to Sam Okafor" in out.getvalue()
    assert mail.outbox == [] and not ReminderSent.objects.exists()
