"""National test data built in code: the seed's 15 MSG members and 15 other CSPs, with offence
counts and populations for twelve quarters (April 2022 – March 2025) in two categories.

Made-up but shaped like the Home Office's quarterly CSP tables (issue 10 loads the real ones):
counts are Poisson draws from a fixed seed around each CSP's own rate, so every run builds the
same figures, and the focus CSP's last quarter is a real rise (a point above its XmR limits).
Used by the tests and, through `manage.py shell`, to look at the pages in a browser.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import numpy as np
from dateutil.relativedelta import relativedelta

from crime_stats.models import CSP, CrimeFigure, ReportingPeriod
from generations.counters import CRIME, bump

FIRST_QUARTER = datetime.date(2022, 4, 1)
QUARTERS = 12
CATEGORIES = {"All crime": 1.0, "Robbery": 0.012}
SEED = 12
OTHER_CSPS = [
    ("Avon and Somerset", "Bristol", 472_000, 29.0),
    ("Cambridgeshire", "Peterborough", 216_000, 27.0),
    ("Derbyshire", "Derby", 263_000, 26.0),
    ("Devon and Cornwall", "Plymouth", 265_000, 24.0),
    ("Dorset", "Dorset", 380_000, 12.0),
    ("Essex", "Southend-on-Sea", 181_000, 25.0),
    ("Hampshire", "Southampton", 249_000, 30.0),
    ("Kent", "Canterbury", 157_000, 21.0),
    ("Norfolk", "Norwich", 144_000, 27.0),
    ("North Yorkshire", "Harrogate", 162_000, 11.0),
    ("South Yorkshire", "Sheffield", 556_000, 24.0),
    ("Surrey", "Guildford", 143_000, 12.0),
    ("Thames Valley", "Oxford", 162_000, 22.0),
    ("West Mercia", "Shropshire", 323_000, 13.0),
    ("Dyfed-Powys", "Powys", 133_000, 9.0),
]
# Quarterly All crime rates per 1,000 for the seed's members (about a quarter of the plan's
# April–December rates, which span three quarters).
MEMBER_RATE = 31.0
MEMBER_POPULATION = 300_000


def quarter_periods() -> list[ReportingPeriod]:
    """Return (creating them) the twelve quarterly periods, oldest first."""
    periods = []
    for index in range(QUARTERS):
        start = FIRST_QUARTER + relativedelta(months=3 * index)
        end = start + relativedelta(months=3, days=-1)
        year = start.year if start.month >= 4 else start.year - 1
        label = f"{start:%B}–{end:%B %Y}"
        slug = f"{year}-{(year + 1) % 100:02d}-q{index % 4 + 1}"
        period, _ = ReportingPeriod.objects.get_or_create(
            slug=slug, defaults={"label": label, "start": start, "end": end}
        )
        periods.append(period)
    return periods


def build_national(*, focus_rise: bool = True) -> list[ReportingPeriod]:
    """Create the other CSPs and every CSP's quarterly figures; return the periods."""
    generator = np.random.default_rng(SEED)
    periods = quarter_periods()
    csps = []
    for force, name, population, rate in OTHER_CSPS:
        csp, _ = CSP.objects.get_or_create(force=force, name=name)
        csps.append((csp, population, rate))
    members = CSP.objects.filter(memberships__isnull=False).distinct().order_by("name")
    for index, csp in enumerate(members):
        population = MEMBER_POPULATION + 20_000 * index
        rate = MEMBER_RATE + (index % 5) - 2
        csps.append((csp, population, rate))
    figures = []
    for csp, population, rate in csps:
        for index, period in enumerate(periods):
            for category, share in CATEGORIES.items():
                expected = rate * share * population / 1000
                if focus_rise and csp.name == "Leicester" and index == QUARTERS - 1:
                    expected *= 1.12
                offences = int(generator.poisson(expected))
                figures.append(
                    CrimeFigure(
                        csp=csp,
                        period=period,
                        category=category,
                        offences=offences,
                        population=population,
                        rate=(Decimal(offences) * 1000 / population).quantize(Decimal("0.001")),
                    )
                )
    CrimeFigure.objects.bulk_create(figures)
    bump(CRIME)  # bulk writes send no signals: retire the dashboard's cached sections
    return periods
