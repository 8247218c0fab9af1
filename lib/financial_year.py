"""The UK financial year (April–March): the one home of the rule for every app.

A financial year is known by the calendar year it starts in: 2018 is `2018/19`, from
1 April 2018 to 31 March 2019. Reading one from text raises `FinancialYearError` (never None).
"""

from __future__ import annotations

import datetime
import re

from django.db.models import Case, IntegerField, When
from django.db.models.functions import ExtractYear

FIRST_MONTH = 4  # April
FULL_YEAR: tuple[int, int] = (4, 3)  # (first month, last month): April–March

_WRITTEN = re.compile(r"^(?:FY\s*)?(\d{4})\s*[/-]\s*(\d{2}|\d{4})$", re.IGNORECASE)


class FinancialYearError(ValueError):
    """Text that does not name a financial year; its message says how to write one."""


def financial_year_of(day: datetime.date) -> int:
    """Return the calendar year in which the financial year holding `day` starts."""
    return day.year if day.month >= FIRST_MONTH else day.year - 1


def financial_year_label(first_year: int) -> str:
    """Return a financial year as written in the UK: 2018 -> `2018/19`."""
    return f"{first_year}/{(first_year + 1) % 100:02d}"


def financial_year_bounds(first_year: int) -> tuple[datetime.date, datetime.date]:
    """Return the first day of the financial year and the first day of the next one."""
    return (
        datetime.date(first_year, FIRST_MONTH, 1),
        datetime.date(first_year + 1, FIRST_MONTH, 1),
    )


def within_one_financial_year(first_month: int, last_month: int) -> bool:
    """Return whether the months first..last lie inside one April–March year (no wrap round)."""
    return (first_month - FIRST_MONTH) % 12 <= (last_month - FIRST_MONTH) % 12


def looks_like_financial_year(text: str) -> bool:
    """Return whether text is written the way a financial year is (`2018/19`, `FY2018-2019`)."""
    return bool(_WRITTEN.match(text.strip()))


def parse_financial_year(text: str) -> int:
    """Return the first calendar year of a financial year written `2018/19`.

    Raises FinancialYearError for anything else (`2018/20`, `April 2018`, a blank).
    """
    match = _WRITTEN.match(str(text).strip())
    if match:
        first, second = int(match[1]), int(match[2])
        if second % 100 == (first + 1) % 100 and (second < 100 or second == first + 1):
            return first
    raise FinancialYearError(f"`{text}` is not a financial year: write it as `2018/19`")


def financial_year_expression(field: str) -> Case:
    """Return a SQL expression for the year a date field's financial year starts in."""
    return Case(
        When(**{f"{field}__month__gte": FIRST_MONTH}, then=ExtractYear(field)),
        default=ExtractYear(field) - 1,
        output_field=IntegerField(),
    )
