"""One pipeline for the upload page and the command: read → check → compare → commit or stop.

`parse_file` reads and checks the whole file without touching the database; `plan_import`
compares its figures with the stored ones (created, revised, unchanged); `commit_plan` writes all
of it in one transaction. Nothing is written while any problem remains.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain

import pandas as pd

from crime_stats.importers.columns import map_columns, missing_column
from crime_stats.importers.csp_matcher import CSPMatcher
from crime_stats.importers.layouts import (
    ONS,
    WIDE,
    detect_layout,
    parse_long,
    parse_wide,
    undetectable,
    whole_table,
)
from crime_stats.importers.notes import is_not_data, parse_notes, sheet_lines
from crime_stats.importers.ons import POPULATION_SHEET, parse_ons
from crime_stats.importers.periods import (
    PeriodError,
    PeriodSpec,
    parse_span,
)
from crime_stats.importers.populations import read_population_file
from crime_stats.importers.problems import Problem
from crime_stats.importers.progress import NO_PROGRESS, Progress, track_rows
from crime_stats.importers.readers import Sheet, UnreadableFile, read_sheets
from crime_stats.importers.records import (
    Figure,
    ImportOptions,
    NumberError,
    ParsedFile,
    parse_count,
)
from crime_stats.importers.stored_populations import StoredPopulations
from crime_stats.models import CrimeFigure, ReportingPeriod
from lib.financial_year import FinancialYearError, financial_year_label, parse_financial_year

Populations = dict[tuple[int, int | None], int]  # (CSP id, financial year or None) -> people


def read_population(
    content: bytes, matcher: CSPMatcher, file_name: str = ""
) -> tuple[Populations, list[Problem], int]:
    """Return (CSP id, financial year) -> population from a population table.

    The table has a CSP (or ONS code) column and a Population column. With a 'Financial Year'
    column (`2018/19`) each row is one CSP's population in that year, keyed by the year's first
    calendar year; without one, each CSP has one population, keyed by None and used for every
    year. Rows for places that are not CSPs in the portal are ignored (a national table lists
    them all); their number is returned third.
    """
    reading = ParsedFile(format="")
    try:
        sheet = next(_data_sheets(read_sheets(content, POPULATION_SHEET, file_name), reading))
    except (UnreadableFile, StopIteration) as error:
        message = str(error) or "The population file holds no table: give one with a header row."
        return {}, [Problem(None, "", message, POPULATION_SHEET)], 0
    columns, problems = map_columns(sheet.header)
    if "CSP" not in columns and "ONS code" not in columns:
        problems.append(missing_column("CSP", "the population table names each row's CSP."))
    if "Population" not in columns:
        problems.append(missing_column("Population"))
    if problems:
        return {}, [Problem(p.row, p.column, p.message, POPULATION_SHEET) for p in problems], 0
    populations: Populations = {}
    first_row: dict[tuple[int, int | None], int] = {}
    ignored = 0
    header = sheet.header
    for number, row in whole_table(sheet).iterrows():

        def cell(name: str, row=row) -> str:
            return str(row[columns[name]]).strip() if name in columns else ""

        found = matcher.match(cell("CSP"), cell("Police Force"), cell("ONS code"))
        if found.csp is None:
            ignored += 1
            continue
        year: int | None = None
        if "Financial Year" in columns:
            try:
                year = parse_financial_year(cell("Financial Year"))
            except FinancialYearError as error:
                problems.append(
                    Problem(number, header[columns["Financial Year"]], str(error), POPULATION_SHEET)
                )
                continue
        try:
            population = parse_count(cell("Population"), "population")
        except NumberError as error:
            problems.append(
                Problem(number, header[columns["Population"]], str(error), POPULATION_SHEET)
            )
            continue
        if population == 0:
            problems.append(
                Problem(
                    number,
                    header[columns["Population"]],
                    "the population is 0: give the CSP's population",
                    POPULATION_SHEET,
                )
            )
            continue
        key = (found.csp.pk, year)
        if key in populations and populations[key] != population:
            in_year = "" if year is None else f" in {financial_year_label(year)}"
            problems.append(
                Problem(
                    number,
                    header[columns["Population"]],
                    f"this row gives "
                    f"{found.csp.label} a population of {population:,}{in_year}, but row "
                    f"{first_row[key]} gives {populations[key]:,}: keep one",
                    POPULATION_SHEET,
                )
            )
            continue
        populations[key] = population
        first_row.setdefault(key, number)
    problems += [Problem(p.row, p.column, p.message, POPULATION_SHEET) for p in reading.problems]
    return populations, problems, ignored


def district_populations(content: bytes, file_name: str = "") -> Populations | None:
    """Return (CSP id, year or None) -> people from a table by district code, else None.

    A table of one year gives each CSP one population, used for every year of the file (as a
    CSP table without a year column does); several years key each by its mid-year.
    """
    file = read_population_file(content, file_name=file_name)
    if file.layout != "local authority districts" or file.problems or not file.estimates:
        return None
    single = len(file.years) == 1
    return {
        (csp_id, None if single else year): estimate.population
        for (csp_id, year), estimate in file.estimates.items()
    }


def _problem(error: UnreadableFile, sheet: str) -> Problem:
    if error.row is not None:
        return Problem(error.row, "", str(error), error.sheet or sheet)
    return Problem(None, "", str(error))


def _reported(sheets: Iterator[Sheet], parsed: ParsedFile) -> Iterator[Sheet]:
    """Yield the sheets; a reading problem met on the way ends the stream as a Problem.

    The reader streams, so a cap reached in the third sheet or a CSV quote never closed is met
    while the layouts read the chunks: it becomes one problem (the file is then not loaded)
    instead of an exception, and no further sheet is read.
    """
    broken = False

    def chunks(sheet: Sheet, source: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        nonlocal broken
        try:
            yield from source
        except UnreadableFile as error:
            broken = True
            parsed.problems.append(_problem(error, sheet.name))

    try:
        for sheet in sheets:
            sheet.chunks = chunks(sheet, sheet.chunks)
            yield sheet
            if broken:
                return
    except UnreadableFile as error:
        parsed.problems.append(_problem(error, ""))


def _counted(sheets: Iterator[Sheet], progress: Progress) -> Iterator[Sheet]:
    """Yield each sheet with its chunks of rows counted on `progress` (which may stop them)."""
    for sheet in sheets:
        sheet.chunks = track_rows(sheet.chunks, progress)
        yield sheet


def _data_sheets(sheets: Iterator[Sheet], parsed: ParsedFile) -> Iterator[Sheet]:
    """Yield the tables of figures; note the sheets that are not (Notes, Cover, Contents).

    A sheet is data when its header row fits a layout, or when it does not look like notes
    (see `is_not_data`): then the layout reports what its header lacks.
    """
    for sheet in _reported(sheets, parsed):
        if detect_layout(sheet.header) is not None or not is_not_data(sheet):
            yield sheet
            continue
        parsed.not_data_sheets.append(sheet.name)
        notes = parse_notes(sheet.name, sheet_lines(sheet))
        if notes is not None and parsed.publication_notes is None:
            parsed.publication_notes = notes


def _no_table(parsed: ParsedFile) -> Problem:
    names = ", ".join(parsed.not_data_sheets) or "none"
    return Problem(
        None,
        "",
        f"the file has no table of figures: its sheets ({names}) hold notes or titles, not a "
        "header row of columns. Load the file with the figures",
    )


def parse_file(
    content: bytes,
    options: ImportOptions,
    population: bytes | None = None,
    *,
    file_name: str = "",
    population_name: str = "",
    progress: Progress = NO_PROGRESS,
) -> ParsedFile:
    """Return every figure the file gives and every problem with it; writes nothing.

    The names, when given, are checked against the kind the bytes show (see `read_sheets`).
    Each chunk of rows read is counted on `progress`, which may stop the reading between chunks.
    """
    parsed = ParsedFile(format=options.format or "")
    try:
        span = parse_span(options.span) if options.span else None
    except PeriodError as error:
        parsed.problems.append(Problem(None, "Span", f"the span chosen on upload: {error}"))
        return parsed
    parsed.span = span
    try:
        data = _data_sheets(read_sheets(content, file_name=file_name), parsed)
        first = next(data, None)
    except UnreadableFile as error:
        parsed.problems.append(Problem(None, "", str(error)))
        return parsed
    if first is None:
        if not parsed.problems:
            parsed.problems.append(_no_table(parsed))
        parsed.finish_problems()
        return parsed
    layout = options.format or detect_layout(first.header)
    if layout is None:
        parsed.problems.append(undetectable(first.header))
        parsed.finish_problems()
        return parsed
    sheets = _counted(chain([first], data), progress)
    parsed.format = layout
    matcher = CSPMatcher()
    if layout == ONS:
        populations = None
        if population is None:
            stored = StoredPopulations()
            populations = stored if stored else None
        elif districts := district_populations(population, population_name):
            populations, problems, ignored = districts, [], 0
            parsed.notes.append(
                "The population table is by local authority district: each CSP's population "
                "is the sum of its districts."
            )
        else:
            populations, problems, ignored = read_population(population, matcher, population_name)
            parsed.problems.extend(problems)
            if ignored:
                parsed.notes.append(
                    f"The population table has {ignored:,} rows for places that are not CSPs "
                    "in the portal; they are not used."
                )
        parse_ons(sheets, options, span, matcher, parsed, populations)
        if isinstance(populations, StoredPopulations):
            parsed.population_sources = populations.sources()
    else:
        for sheet in sheets:
            (parse_wide if layout == WIDE else parse_long)(sheet, options, span, matcher, parsed)
        parsed.drop_repeated_figures()
    if parsed.rows_read == 0 and not parsed.problems:
        parsed.problems.append(
            Problem(
                None,
                "",
                "the file has a header row but no data rows: add the figures below the header",
            )
        )
    if parsed.not_data_sheets:
        parsed.notes.append(
            f"Not data: sheets {', '.join(repr(name) for name in parsed.not_data_sheets)} "
            "hold notes or titles, not tables of figures, and were read for their notes only."
        )
    parsed.finish_problems()
    return parsed


@dataclass
class ImportPlan:
    """What committing a parsed file would do, figure by figure."""

    parsed: ParsedFile
    options: ImportOptions
    created: list[Figure] = field(default_factory=list)
    updated: list[tuple[CrimeFigure, Figure]] = field(default_factory=list)
    unchanged: list[Figure] = field(default_factory=list)
    periods: dict[PeriodSpec, ReportingPeriod | None] = field(default_factory=dict)

    @property
    def new_periods(self) -> list[PeriodSpec]:
        """Return the periods that do not exist yet, in date order."""
        return sorted(spec for spec, period in self.periods.items() if period is None)

    @property
    def problems(self) -> list[Problem]:
        """Return every problem that stops the import, unknown CSPs included unless skipped."""
        problems = list(self.parsed.problems)
        if not self.options.skip_unknown_csps:
            problems += [
                Problem(unknown.first_row, "CSP", f"{unknown.message} ({unknown.rows:,} rows)")
                for unknown in self.parsed.unknown_csps.values()
            ]
        return problems

    @property
    def can_commit(self) -> bool:
        """Return True when nothing stops the import."""
        return not self.problems

    @property
    def rows_rejected(self) -> int:
        """Return how many distinct rows have a problem."""
        return len({(p.sheet, p.row) for p in self.parsed.problems if p.row is not None})


def plan_import(parsed: ParsedFile, options: ImportOptions) -> ImportPlan:
    """Return the plan: which figures are new, which are revised (old → new), which unchanged."""
    plan = ImportPlan(parsed=parsed, options=options)
    specs = {figure.period for figure in parsed.figures}
    existing_periods = {
        PeriodSpec(period.start, period.end): period
        for period in ReportingPeriod.objects.filter(start__in={s.start for s in specs})
    }
    plan.periods = {spec: existing_periods.get(spec) for spec in specs}
    known = [period for period in plan.periods.values() if period is not None]
    stored = {
        (figure.csp_id, PeriodSpec(figure.period.start, figure.period.end), figure.category): figure
        for figure in CrimeFigure.objects.filter(
            period__in=known,
            category__in={figure.category for figure in parsed.figures},
            csp__in={figure.csp.pk for figure in parsed.figures},
        ).select_related("period")
    }
    for figure in parsed.figures:
        current = stored.get(figure.key)
        if current is None:
            plan.created.append(figure)
        elif (current.rate, current.offences, current.population) == (
            figure.rate,
            figure.offences,
            figure.population,
        ):
            plan.unchanged.append(figure)
        else:
            plan.updated.append((current, figure))
    return plan
