"""Spend against allocation per work-stream and financial year; overspend is flagged."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from actions.models import ProgressUpdate
from actions.spend import combine, funding_lines


def test_combine_lines_up_allocations_and_spend_per_year():
    lines = combine(
        {(1, 2019): Decimal("100"), (1, 2020): Decimal("50")},
        {(1, 2019): Decimal("120"), (1, 2021): Decimal("5")},
    )
    assert [(x.label, x.allocation, x.spend, x.remaining, x.overspent) for x in lines] == [
        ("2019/20", Decimal("100"), Decimal("120"), Decimal("-20"), True),
        ("2020/21", Decimal("50"), Decimal("0"), Decimal("50"), False),
        ("2021/22", None, Decimal("5"), None, True),
    ]
    assert lines[0].percent_spent == 120


@pytest.mark.django_db
def test_demo_spend_of_the_knife_crime_work_stream(knife_stream):
    (line,) = funding_lines([knife_stream])[knife_stream.pk]
    # Education sessions 4,500 + 6,000 + 7,500; amnesty bins 0 + 2,500.
    assert (line.label, line.allocation, line.spend) == (
        "2019/20",
        Decimal("40000"),
        Decimal("20500"),
    )
    assert not line.overspent


@pytest.mark.django_db
def test_spend_is_split_at_the_financial_year_and_overspend_is_shown(
    client_for, lead, owner, owners_action, knife_stream
):
    for day, amount in [(datetime.date(2020, 3, 31), "19500.01"), (datetime.date(2020, 4, 1), "7")]:
        ProgressUpdate.objects.create(
            action=owners_action,
            reported_on=day,
            status="red",
            narrative="x",
            spend=Decimal(amount),
            author=owner,
        )
    lines = funding_lines([knife_stream])[knife_stream.pk]
    assert [(x.label, x.spend, x.overspent) for x in lines] == [
        ("2019/20", Decimal("40000.01"), True),
        ("2020/21", Decimal("7"), True),
    ]
    page = client_for(lead).get(reverse("actions:detail", args=[owners_action.pk])).content.decode()
    assert "<strong>Overspent</strong>" in page
    assert "−£0.01" in page  # a true minus sign before the pound sign
