"""How imports name reporting periods: labels, financial years, bare years with a span.

Every period lies within one financial year (April–March). Files name periods as the plan does
(`April–December 2018`), as the Home Office does (`2018/19`), or by a bare year whose span of
months the admin chooses on upload (`2018` with the span `April-December`).
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from lib.financial_year import (
    FULL_YEAR,
    FinancialYearError,
    looks_like_financial_year,
    parse_financial_year,
    within_one_financial_year,
)

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9

_DASH = r"\s*[-–—]\s*|\s+to\s+"
_MONTH = r"([A-Za-z]{3,9})\.?"
_SPAN = re.compile(rf"^{_MONTH}(?:{_DASH}){_MONTH}$", re.IGNORECASE)
_SPAN_YEAR = re.compile(rf"^{_MONTH}(?:{_DASH}){_MONTH}\s+(\d{{4}})$", re.IGNORECASE)
_SPAN_TWO_YEARS = re.compile(
    rf"^{_MONTH}\s+(\d{{4}})(?:{_DASH}){_MONTH}\s+(\d{{4}})$", re.IGNORECASE
)
_BARE_YEAR = re.compile(r"^(\d{4})(?:\.0)?$")

PERIOD_HELP = (
    "name a period as `April–December 2018`, a financial year as `2018/19`, "
    "or a bare year such as `2018` with the span chosen on upload"
)
SPAN_HELP = "give the span as two months, such as `April-December`"


class PeriodError(ValueError):
    """A period or span that cannot be read; its message says how to write it."""


@dataclass(frozen=True, order=True)
class PeriodSpec:
    """A reporting period's dates, before it exists in the database."""

    start: datetime.date
    end: datetime.date

    @property
    def label(self) -> str:
        """Return the label the plan uses: `April–December 2018` or `April 2018–March 2019`."""
        first, last = calendar.month_name[self.start.month], calendar.month_name[self.end.month]
        if self.start.year == self.end.year:
            return f"{first}–{last} {self.end.year}"
        return f"{first} {self.start.year}–{last} {self.end.year}"

    @property
    def slug(self) -> str:
        """Return the URL slug: `apr-dec-2018` or `apr-2018-mar-2019`."""
        first = calendar.month_abbr[self.start.month].lower()
        last = calendar.month_abbr[self.end.month].lower()
        if self.start.year == self.end.year:
            return f"{first}-{last}-{self.end.year}"
        return f"{first}-{self.start.year}-{last}-{self.end.year}"


Span = tuple[int, int]  # (first month, last month)


def _month(text: str) -> int:
    number = MONTHS.get(text.lower())
    if number is None:
        raise PeriodError(f"`{text}` is not a month: {SPAN_HELP}")
    return number


def _check_financial_year(first: int, last: int) -> None:
    if not within_one_financial_year(first, last):
        raise PeriodError(
            f"{calendar.month_name[first]}–{calendar.month_name[last]} crosses the end of a "
            "financial year (April–March): a reporting period lies within one financial year"
        )


def parse_span(text: str) -> Span:
    """Return (first month, last month) of a span such as `April-December` or `Apr–Dec`."""
    match = _SPAN.match(text.strip())
    if not match:
        raise PeriodError(f"`{text}` is not a span of months: {SPAN_HELP}")
    first, last = _month(match[1]), _month(match[2])
    _check_financial_year(first, last)
    return first, last


def span_label(span: Span) -> str:
    """Return a span's months as words: `April–December`."""
    return f"{calendar.month_name[span[0]]}–{calendar.month_name[span[1]]}"


def span_period(span: Span, year: int) -> PeriodSpec:
    """Return the period of `span` that starts in calendar year `year`."""
    first, last = span
    end_year = year if last >= first else year + 1
    end_day = calendar.monthrange(end_year, last)[1]
    return PeriodSpec(datetime.date(year, first, 1), datetime.date(end_year, last, end_day))


def parse_period(text: object, span: Span | None = None) -> PeriodSpec:
    """Return the period a file's cell or header names; a bare year needs the upload's span."""
    if text is None:
        raise PeriodError(f"the period is blank: {PERIOD_HELP}")
    value = str(text).strip()
    if not value or value.lower() == "nan":
        raise PeriodError(f"the period is blank: {PERIOD_HELP}")
    if match := _BARE_YEAR.match(value):
        if span is None:
            raise PeriodError(
                f"`{value}` is a bare year: choose on upload the span of months it covers "
                "(for example `April-December`)"
            )
        return span_period(span, int(match[1]))
    if looks_like_financial_year(value):
        try:
            return span_period(span or FULL_YEAR, parse_financial_year(value))
        except FinancialYearError as error:
            raise PeriodError(str(error)) from None
    if match := _SPAN_YEAR.match(value):
        first, last = _month(match[1]), _month(match[2])
        _check_financial_year(first, last)
        # `January–March 2019` ends in 2019; `October–March 2019` too, so it starts in 2018.
        end_year = int(match[3])
        return span_period((first, last), end_year if last >= first else end_year - 1)
    if match := _SPAN_TWO_YEARS.match(value):
        first, last = _month(match[1]), _month(match[3])
        _check_financial_year(first, last)
        period = span_period((first, last), int(match[2]))
        if period.end.year != int(match[4]):
            raise PeriodError(f"`{value}` is not a period within one financial year")
        return period
    raise PeriodError(f"`{value}` is not a period: {PERIOD_HELP}")


def quarter_span(quarters: list[int]) -> Span:
    """Return the span of consecutive financial quarters (1 = April–June … 4 = January–March)."""
    first, last = min(quarters), max(quarters)
    return (4 + 3 * (first - 1) - 1) % 12 + 1, (6 + 3 * (last - 1) - 1) % 12 + 1


def quarters_of(span: Span) -> list[int] | None:
    """Return the financial quarters a span covers exactly, or None if it splits a quarter."""
    first, last = span
    offset_first, offset_last = (first - 4) % 12, (last - 4) % 12
    if offset_first % 3 != 0 or offset_last % 3 != 2:
        return None
    return list(range(offset_first // 3 + 1, offset_last // 3 + 2))
