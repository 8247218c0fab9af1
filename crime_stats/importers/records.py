"""The plain records an import produces before it touches the database."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from crime_stats.importers.periods import PeriodSpec, Span
from crime_stats.importers.problems import Problem
from crime_stats.models import ALL_CRIME, CSP

RATE_PLACES = Decimal("0.001")
MAX_RATE = Decimal("9999999.999")  # CrimeFigure.rate: ten digits, three after the point
MAX_PROBLEMS_PER_KIND = 200  # a file of a million bad rows still gets a readable report


@dataclass(frozen=True)
class ImportOptions:
    """What the admin chose on upload (or on the command line); stored on the batch."""

    format: str = ""  # wide, long or ons; blank = detect from the headers
    span: str = ""  # `April-December`: the months a bare year (or an ons file) covers
    period: str = ""  # `2018/19`: the period of a file that has no period column
    category: str = ALL_CRIME
    skip_unknown_csps: bool = False

    def as_dict(self) -> dict:
        """Return the options as ImportBatch.options stores them."""
        return {
            "format": self.format,
            "span": self.span,
            "period": self.period,
            "category": self.category,
            "skip_unknown_csps": self.skip_unknown_csps,
        }


@dataclass(frozen=True)
class Figure:
    """One crime figure a file gives: CSP × period × category, its rate and where it came from."""

    csp: CSP
    period: PeriodSpec
    category: str
    rate: Decimal
    offences: int | None
    population: int | None
    row: int | None
    sheet: str = ""

    @property
    def key(self) -> tuple[int, PeriodSpec, str]:
        """Return the natural key: (CSP id, period, category)."""
        return (self.csp.pk, self.period, self.category)


@dataclass
class UnknownCSP:
    """A CSP named in the file that the portal does not hold: how often, where, what is close."""

    name: str
    rows: int
    first_row: int | None
    message: str


@dataclass
class ParsedFile:
    """What a layout read from the file: figures, problems, CSPs it could not find, notes."""

    format: str
    rows_read: int = 0
    figures: list[Figure] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unknown_csps: dict[str, UnknownCSP] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    span: Span | None = None

    def add_unknown(self, name: str, row: int | None, message: str, rows: int = 1) -> None:
        """Record `rows` rows naming a CSP that the portal does not hold."""
        unknown = self.unknown_csps.get(name)
        if unknown is None:
            self.unknown_csps[name] = UnknownCSP(name, rows, row, message)
        else:
            unknown.rows += rows
            if row is not None and (unknown.first_row is None or row < unknown.first_row):
                unknown.first_row = row

    def add_problems(self, problems: Iterable[Problem], kind_total: int | None = None) -> None:
        """Add problems of one kind, keeping the first MAX_PROBLEMS_PER_KIND and a count."""
        problems = list(problems)
        total = kind_total if kind_total is not None else len(problems)
        self.problems.extend(problems[:MAX_PROBLEMS_PER_KIND])
        if total > MAX_PROBLEMS_PER_KIND:
            first = problems[0]
            self.problems.append(
                Problem(
                    None,
                    first.column,
                    f"… and {total - MAX_PROBLEMS_PER_KIND:,} more rows with the same problem "
                    f"as row {first.row}",
                    first.sheet,
                )
            )

    def drop_repeated_figures(self) -> None:
        """Keep the first figure of each CSP, period and category; report the rest by row.

        Run once over the whole file: the same figure on two sheets is as much a repeat as two
        rows of one sheet, and would otherwise break the database's uniqueness on confirm.
        """
        first: dict[tuple, Figure] = {}
        kept: list[Figure] = []
        for figure in self.figures:
            earlier = first.setdefault(figure.key, figure)
            if earlier is figure:
                kept.append(figure)
                continue
            where = f"row {earlier.row}"
            if earlier.sheet != figure.sheet:
                where = f"sheet {earlier.sheet}, {where}"
            self.problems.append(
                Problem(
                    figure.row,
                    "",
                    f"this row repeats {figure.csp.label}, {figure.period.label}, "
                    f"{figure.category} from {where}: keep one row for each CSP, period and "
                    "category",
                    figure.sheet,
                )
            )
        self.figures = kept

    @property
    def rows_skipped(self) -> int:
        """Return how many rows name CSPs that are not in the portal."""
        return sum(unknown.rows for unknown in self.unknown_csps.values())


class NumberError(ValueError):
    """A cell that should hold a number but does not; the message says what to write."""


def parse_number(text: str, what: str, example: str) -> Decimal:
    """Return the number in a cell (`1,234.5` allowed); raise NumberError saying how to fix it."""
    cleaned = str(text).strip().replace(",", "").replace(" ", "")
    if not cleaned:
        raise NumberError(f"the {what} is blank: give it as a number such as {example}")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise NumberError(
            f"{text!r} is not a number: give the {what} as a number such as {example}"
        ) from None
    if not value.is_finite():
        raise NumberError(
            f"{text!r} is not a number: give the {what} as a number such as {example}"
        )
    return value


def parse_rate(text: str) -> Decimal:
    """Return a rate per 1,000 rounded to three places; raise NumberError when it is not one."""
    value = parse_number(text, "crimes per 1,000", "77.7")
    if value < 0:
        raise NumberError(f"{text!r} is negative: a rate per 1,000 cannot be below zero")
    if value > MAX_RATE:
        raise NumberError(f"{text!r} is too large for a rate per 1,000: check the column")
    return value.quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


def parse_count(text: str, what: str) -> int:
    """Return a whole number of offences or people; raise NumberError when it is not one."""
    value = parse_number(text, what, "1234")
    if value != value.to_integral_value():
        raise NumberError(f"{text!r} is not a whole number: give the {what} as a whole number")
    if value < 0:
        raise NumberError(f"{text!r} is negative: the {what} cannot be below zero")
    return int(value)


def rate_from(offences: int, population: int) -> Decimal:
    """Return crimes per 1,000 population, rounded half up to three decimal places."""
    return (Decimal(offences) * 1000 / Decimal(population)).quantize(
        RATE_PLACES, rounding=ROUND_HALF_UP
    )
