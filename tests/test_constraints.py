"""Each database constraint refuses what it exists to refuse, whatever the code above it does."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from actions.models import Action, ProgressUpdate
from crime_stats.models import CSP, CrimeFigure, GroupMembership, ReportingPeriod
from priorities.models import FundingAllocation, PlanVersion, Priority, WorkStream

pytestmark = pytest.mark.django_db


def refused(create) -> bool:
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


def test_a_second_figure_for_the_same_csp_period_and_category_is_refused():
    figure = CrimeFigure.objects.first()
    assert refused(
        lambda: CrimeFigure.objects.create(
            csp=figure.csp, period=figure.period, category=figure.category, rate=Decimal("1")
        )
    )


def test_a_figure_with_a_negative_rate_is_refused():
    figure = CrimeFigure.objects.first()
    assert refused(
        lambda: CrimeFigure.objects.create(
            csp=figure.csp, period=figure.period, category="Robbery", rate=Decimal("-0.1")
        )
    )


def test_a_figure_with_negative_offences_is_refused():
    figure = CrimeFigure.objects.first()
    assert refused(
        lambda: CrimeFigure.objects.create(
            csp=figure.csp, period=figure.period, category="Robbery", rate=1, offences=-3
        )
    )


def test_two_csps_may_not_share_a_label_or_an_ons_code():
    assert refused(lambda: CSP.objects.create(force="Leicestershire", name="Leicester"))
    assert refused(lambda: CSP.objects.create(force="X", name="Y", ons_code="E22000168"))
    # CSPs without a code do not collide with each other.
    CSP.objects.create(force="X", name="One")
    CSP.objects.create(force="X", name="Two")


def test_a_period_must_end_after_it_starts():
    assert refused(
        lambda: ReportingPeriod.objects.create(
            label="Backwards",
            slug="backwards",
            start=datetime.date(2019, 12, 31),
            end=datetime.date(2019, 4, 1),
        )
    )


def test_a_membership_must_end_after_it_starts():
    membership = GroupMembership.objects.first()
    assert refused(
        lambda: GroupMembership.objects.create(
            group=membership.group,
            csp=membership.csp,
            valid_from=datetime.date(2020, 1, 1),
            valid_to=datetime.date(2019, 1, 1),
        )
    )


def test_a_plan_version_has_one_priority_per_lower_case_letter():
    version = PlanVersion.objects.get(slug="2018-21")
    assert refused(lambda: Priority.objects.create(version=version, letter="a", wording="Again"))
    assert refused(lambda: Priority.objects.create(version=version, letter="G", wording="Upper"))
    Priority.objects.create(version=version, letter="g", wording="A seventh priority")


def test_funding_is_one_allocation_per_work_stream_and_year_and_never_negative():
    allocation = FundingAllocation.objects.first()
    stream = allocation.work_stream
    assert refused(
        lambda: FundingAllocation.objects.create(
            work_stream=stream, financial_year=allocation.financial_year, amount=1
        )
    )
    assert refused(
        lambda: FundingAllocation.objects.create(
            work_stream=stream, financial_year=2030, amount=Decimal("-1")
        )
    )


def test_an_action_cannot_be_due_before_it_starts(lead):
    action = Action.objects.first()
    action.pk = None
    action.title = "Backwards action"
    action.start_date, action.due_date = datetime.date(2019, 9, 1), datetime.date(2019, 8, 1)
    assert refused(action.save)


def test_work_stream_names_are_unique_within_a_priority(lead):
    stream = WorkStream.objects.first()
    assert refused(
        lambda: WorkStream.objects.create(
            priority=stream.priority, name=stream.name, strategic_lead=lead
        )
    )


def test_a_progress_update_cannot_record_negative_spend(owner):
    action = Action.objects.first()
    assert refused(
        lambda: ProgressUpdate.objects.create(
            action=action,
            reported_on=datetime.date(2019, 5, 1),
            status="green",
            narrative="x",
            spend=Decimal("-5"),
            author=owner,
        )
    )
