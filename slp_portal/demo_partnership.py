"""Demo dates for the statutory duties and demo outcome indicators (never in production).

Duty occurrences are set relative to today so that /duties/ and the dashboard show a working
register whenever the demo is loaded; the indicators follow the demo world of 2019/20.
"""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from lib.financial_year import financial_year_label, financial_year_of
from partnership.models import (
    Direction,
    Duty,
    DutyOccurrence,
    IndicatorSource,
    IndicatorValue,
    OccurrenceStatus,
    OutcomeIndicator,
)
from priorities.models import Priority
from slp_portal.seed import upsert

# (duty slug, label, days from today, owner, status)
OCCURRENCES = [
    ("strategic-assessment", "Strategic assessment {year}", 45, "admin", "in_progress"),
    ("partnership-plan", "Plan refresh {year}", 75, "chair", "not_started"),
    ("send-plan", "Refreshed plan {year} sent", 100, "admin", "not_started"),
    ("community-engagement", "Public meeting {year}", -10, "lead", "not_started"),
    ("svd-review", "Annual review {year}", 20, "lead", "in_progress"),
    ("dhr-dardr", "Review 2026-01: report to quality assurance panel", 30, "chair", "in_progress"),
    ("prevent", "Training programme {year}", 60, "admin", "in_progress"),
    ("scrutiny", "Crime and disorder committee, next meeting", 25, "chair", "not_started"),
    ("information-sharing", "Police and council agreement review", -40, "admin", "done"),
]

# (priority letter, name, source, category, unit, target, direction, quarterly values)
INDICATORS = [
    (
        "a",
        "Possession of weapons offences, crimes per 1,000",
        IndicatorSource.CRIME,
        "Possession of weapons offences",
        "crimes per 1,000",
        None,
        Direction.LOWER,
        [],
    ),
    (
        "a",
        "All crime, crimes per 1,000",
        IndicatorSource.CRIME,
        "All crime",
        "crimes per 1,000",
        Decimal("90"),
        Direction.LOWER,
        [],
    ),
    (
        "d",
        "Repeat victims of domestic abuse referred to MARAC",
        IndicatorSource.LOCAL,
        "",
        "%",
        Decimal("28"),
        Direction.LOWER,
        [("2019-06-30", "33.0"), ("2019-09-30", "31.5"), ("2019-12-31", "30.2")],
    ),
]


def load_partnership_demo(users: dict[str, User], counts: Counter) -> None:
    """Add the demo duty occurrences and outcome indicators, changing only what differs."""
    today = timezone.localdate()
    for slug, label, days, owner, status in OCCURRENCES:
        due = today + datetime.timedelta(days=days)
        upsert(
            DutyOccurrence,
            counts,
            {
                "duty": Duty.objects.get(slug=slug),
                "label": label.format(year=financial_year_label(financial_year_of(today))),
            },
            {
                "due_on": due,
                "owner": users[owner],
                "status": status,
                "completed_on": due if status == OccurrenceStatus.DONE else None,
            },
        )
    priorities = {p.letter: p for p in Priority.objects.filter(version__slug="refresh-2019-20")}
    for letter, name, source, category, unit, target, direction, values in INDICATORS:
        indicator = upsert(
            OutcomeIndicator,
            counts,
            {"priority": priorities[letter], "name": name},
            {
                "source": source,
                "category": category,
                "unit": unit,
                "target": target,
                "direction": direction,
            },
        )
        lead = priorities[letter].strategic_lead
        for quarter, value in values:
            upsert(
                IndicatorValue,
                counts,
                {"indicator": indicator, "quarter_ends_on": datetime.date.fromisoformat(quarter)},
                {"value": Decimal(value), "entered_by": lead},
            )
