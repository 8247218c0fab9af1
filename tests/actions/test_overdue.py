"""Overdue, defined once: the SQL filter and the model method agree on every day of a year."""

import datetime

import pytest

from actions.models import (
    Action,
    ProgressUpdate,
    RagStatus,
    ReviewCadence,
    review_cutoff,
    review_deadline,
)

pytestmark = pytest.mark.django_db

DAYS_2020 = [datetime.date(2020, 1, 1) + datetime.timedelta(days=n) for n in range(366)]


@pytest.mark.parametrize("cadence", ReviewCadence.values)
def test_the_cutoff_is_the_exact_inverse_of_the_deadline_on_every_day(cadence):
    for as_of in DAYS_2020:
        cutoff = review_cutoff(as_of, cadence)
        assert review_deadline(cutoff, cadence) >= as_of
        assert review_deadline(cutoff - datetime.timedelta(days=1), cadence) < as_of


def test_month_ends_clamp_as_a_calendar_would():
    assert review_deadline(datetime.date(2020, 1, 31), "monthly") == datetime.date(2020, 2, 29)
    assert review_deadline(datetime.date(2019, 11, 30), "quarterly") == datetime.date(2020, 2, 29)


def test_monthly_action_is_overdue_the_day_after_its_deadline(owners_action):
    # Last update 2 Sep 2019: due by 2 Oct 2019, overdue from 3 Oct.
    assert not owners_action.is_overdue(datetime.date(2019, 10, 2))
    assert owners_action.is_overdue(datetime.date(2019, 10, 3))
    overdue = Action.objects.overdue
    assert not overdue(datetime.date(2019, 10, 2)).filter(pk=owners_action.pk).exists()
    assert overdue(datetime.date(2019, 10, 3)).filter(pk=owners_action.pk).exists()


def test_quarterly_action_allows_three_months(leads_action):
    # Last update 8 Jan 2020, quarterly: due by 8 Apr 2020, but the 2019/20 version ends on
    # 31 Mar 2020, so it is never overdue: the plan year closed before its deadline.
    assert leads_action.next_review_due() == datetime.date(2020, 4, 8)
    assert not leads_action.is_overdue(datetime.date(2026, 11, 29))
    assert (
        not Action.objects.overdue(datetime.date(2026, 11, 29)).filter(pk=leads_action.pk).exists()
    )


def test_an_action_without_updates_counts_from_its_start(knife_stream, owner, owners_action):
    action = Action.objects.create(
        work_stream=knife_stream,
        title="New action",
        description="x",
        indicator="y",
        target=1,
        unit="u",
        owner=owner,
        partner=owners_action.partner,
        start_date=datetime.date(2019, 12, 1),
        due_date=datetime.date(2020, 3, 1),
    )
    assert not action.is_overdue(datetime.date(2020, 1, 1))
    assert action.is_overdue(datetime.date(2020, 1, 2))
    assert set(Action.objects.overdue(datetime.date(2020, 1, 2)).filter(pk=action.pk)) == {action}


def test_a_complete_action_is_never_overdue(owners_action, owner):
    ProgressUpdate.objects.create(
        action=owners_action,
        reported_on=datetime.date(2019, 10, 1),
        status=RagStatus.COMPLETE,
        narrative="All four bins installed.",
        author=owner,
    )
    assert not owners_action.is_overdue(datetime.date(2026, 1, 1))
    assert (
        not Action.objects.overdue(datetime.date(2026, 1, 1)).filter(pk=owners_action.pk).exists()
    )


@pytest.mark.parametrize(
    "today",
    [
        datetime.date(2019, 8, 1),
        datetime.date(2019, 12, 31),
        datetime.date(2020, 3, 1),
        datetime.date(2026, 11, 29),
    ],
)
def test_the_queryset_and_the_model_agree_on_the_demo(today):
    in_sql = set(Action.objects.overdue(today).values_list("title", flat=True))
    in_python = {a.title for a in Action.objects.all() if a.is_overdue(today)}
    assert in_sql == in_python
    flagged = {a.title for a in Action.objects.with_overdue_flag(today) if a.overdue}
    assert flagged == in_sql


def test_the_demo_shows_a_realistic_mix_today():
    """Judged as at the end of 2019/20: nine of thirteen demo actions, one of priority a."""
    overdue = set(
        Action.objects.overdue(datetime.date(2026, 11, 29)).values_list("title", flat=True)
    )
    assert overdue == {
        "Weapons amnesty bins",
        "Prevent awareness training for front-line staff",
        "Third-party hate crime reporting centres",
        "Multi-agency outreach to rough sleepers",
        "Community protection warnings for aggressive begging",
        "Repeat victim MARAC reviews",
        "Monthly scam and crime prevention alerts",
        "County lines awareness for taxi drivers and hoteliers",
        "Modern slavery victim referrals",
    }
