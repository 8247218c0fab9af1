"""The plain records an import produces before it touches the database."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

import pandas as pd

from crime_stats.importers.periods import PeriodSpec, Span
from crime_stats.importers.problems import Problem
from crime_stats.importers.readers.rows import original_length
from crime_stats.models import ALL_CRIME, CSP

RATE_PLACES = Decimal("0.001")
MAX_RATE = Decimal("9999999.999")  # CrimeFigure.rate: ten digits, three after the point
MAX_PROBLEMS_PER_KIND = 200  # a file of a million bad rows still gets a readable report
QUOTE_CHARS = 100  # the most of a cell any message quotes
# A number in UK notation: digits, or thousands separated by commas in groups of three
# (`1,234`, `12,345,678`), then optionally a point and decimals. `1,23` and `12,34` are not:
# elsewhere they are decimals, so they are refused rather than guessed.
UK_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+")
UK_COUNT = r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.0+)?"  # whole: `1,234`, `1234.0`
# What makes two messages the same kind: the same words once quoted values and numbers go.
VARIABLE_PARTS = re.compile(r"'[^']*'|\"[^\"]*\"|`[^`]*`|\d[\d,.]*")

if TYPE_CHECKING:
    from crime_stats.importers.notes import PublicationNotes


def quote(text: str) -> str:
    """Return a cell's text quoted for a message, cut to its first QUOTE_CHARS characters."""
    text = str(text)
    length = original_length(text)  # the reader already cut a cell of thousands of characters
    if length <= QUOTE_CHARS:
        return repr(text)
    return f"{text[:QUOTE_CHARS]!r}… ({length:,} characters)"


class ProblemList(list):
    """A file's problems: the first MAX_PROBLEMS_PER_KIND of each kind, and a count of the rest.

    A kind is a sheet, a column and a message with its quoted values and numbers left out, so a
    million rows with the same bad cell make 200 problems and one line saying how many more.
    """

    def __init__(self, problems: Iterable[Problem] = ()) -> None:
        super().__init__()
        self.kinds: Counter = Counter()
        self.first_of_kind: dict[tuple, Problem] = {}
        self.extend(problems)

    @staticmethod
    def kind(problem: Problem) -> tuple:
        return (problem.sheet, problem.column, VARIABLE_PARTS.sub("…", problem.message))

    def append(self, problem: Problem) -> None:
        if problem.row is None:  # file-level problems and summaries are few: keep them all
            super().append(problem)
            return
        kind = self.kind(problem)
        self.kinds[kind] += 1
        if self.kinds[kind] <= MAX_PROBLEMS_PER_KIND:
            self.first_of_kind.setdefault(kind, problem)
            super().append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.append(problem)

    def summarise(self) -> None:
        """Add, for each kind past the limit, one line saying how many more rows have it."""
        for kind, total in self.kinds.items():
            if total > MAX_PROBLEMS_PER_KIND:
                first = self.first_of_kind[kind]
                super().append(
                    Problem(
                        None,
                        first.column,
                        f"… and {total - MAX_PROBLEMS_PER_KIND:,} more rows with the same "
                        f"problem as row {first.row}",
                        first.sheet,
                    )
                )
        self.kinds.clear()


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
    problems: list[Problem] = field(default_factory=ProblemList)
    unknown_csps: dict[str, UnknownCSP] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    span: Span | None = None
    # Sheets that are not tables of figures (Notes, Cover, Contents), in file order.
    not_data_sheets: list[str] = field(default_factory=list)
    # The publication's Notes sheet (title, Updated date, force notes), when it has one.
    publication_notes: PublicationNotes | None = None

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
        """Add problems of one kind; `kind_total` counts rows of that kind not passed in."""
        if not isinstance(self.problems, ProblemList):
            self.problems = ProblemList(self.problems)
        problems = list(problems)
        self.problems.extend(problems)
        if problems and kind_total is not None and kind_total > len(problems):
            kind = ProblemList.kind(problems[0])
            self.problems.first_of_kind.setdefault(kind, problems[0])
            self.problems.kinds[kind] += kind_total - len(problems)

    def finish_problems(self) -> None:
        """Add the counts of the problems left out (see ProblemList); call once, at the end."""
        if isinstance(self.problems, ProblemList):
            self.problems.summarise()

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
    """Return the number in a cell in UK notation (`1,234.5`); raise NumberError saying how.

    Thousands separators must come in groups of three: `1,23` or `12,34` is refused, not guessed.
    """
    cleaned = str(text).strip()
    if not cleaned:
        raise NumberError(f"the {what} is blank: give it as a number such as {example}")
    if not UK_NUMBER.fullmatch(cleaned):
        if re.fullmatch(r"[+-]?[\d,]+(?:\.\d+)?", cleaned):
            raise NumberError(
                f"{quote(cleaned)} is not a number in UK notation (commas only between groups "
                f"of three digits, such as 1,234): give the {what} as a number such as {example}"
            )
        raise NumberError(
            f"{quote(cleaned)} is not a number: give the {what} as a number such as {example}"
        )
    return Decimal(cleaned.replace(",", ""))


def uk_counts(texts: pd.Series) -> pd.Series:
    """Return the whole numbers of a column of text as floats, NaN where a cell is not one.

    The column-wise `parse_count` for national files: `1,234` and `1234.0` are 1234; `1,23`,
    `12,34`, `1.5` and blanks are NaN, for the caller to report by row.
    """
    texts = texts.astype(str).str.strip()
    good = texts.str.fullmatch(UK_COUNT)
    numbers = pd.to_numeric(texts.where(good).str.replace(",", "", regex=False), errors="coerce")
    return numbers


def parse_rate(text: str) -> Decimal:
    """Return a rate per 1,000 rounded to three places; raise NumberError when it is not one."""
    value = parse_number(text, "crimes per 1,000", "77.7")
    if value < 0:
        raise NumberError(f"{quote(text)} is negative: a rate per 1,000 cannot be below zero")
    if value > MAX_RATE:
        raise NumberError(f"{quote(text)} is too large for a rate per 1,000: check the column")
    return value.quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


def parse_count(text: str, what: str) -> int:
    """Return a whole number of offences or people; raise NumberError when it is not one."""
    value = parse_number(text, what, "1234")
    if value != value.to_integral_value():
        raise NumberError(f"{quote(text)} is not a whole number: give the {what} as a whole number")
    if value < 0:
        raise NumberError(f"{quote(text)} is negative: the {what} cannot be below zero")
    return int(value)


def rate_from(offences: int, population: int) -> Decimal:
    """Return crimes per 1,000 population, rounded half up to three decimal places."""
    return (Decimal(offences) * 1000 / Decimal(population)).quantize(
        RATE_PLACES, rounding=ROUND_HALF_UP
    )
