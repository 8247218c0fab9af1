"""The plan's two table layouts (wide and long) and how a file's layout is told from its headers."""

from __future__ import annotations

import pandas as pd

from crime_stats.importers.columns import canonical_column, map_columns, missing_column
from crime_stats.importers.csp_matcher import CSPMatcher
from crime_stats.importers.periods import PeriodError, PeriodSpec, Span, parse_period
from crime_stats.importers.problems import Problem
from crime_stats.importers.readers import Sheet
from crime_stats.importers.records import (
    Figure,
    ImportOptions,
    NumberError,
    ParsedFile,
    parse_count,
    parse_rate,
    rate_from,
)

WIDE, LONG, ONS = "wide", "long", "ons"
LAYOUTS = (WIDE, LONG, ONS)


def detect_layout(header: list[str]) -> str | None:
    """Return the layout the header row shows, or None when it fits none of them."""
    columns = {canonical_column(cell) for cell in header}
    if "Offences" in columns and columns & {"Offence Group", "Offence Code", "Offence Description"}:
        return ONS
    if "Period" in columns or ("Category" in columns and "Rate" in columns):
        return LONG
    if "CSP" in columns and len(header) > 1:
        return WIDE
    return None


def undetectable(header: list[str]) -> Problem:
    """Return the problem for a header row that fits no layout."""
    shown = ", ".join(repr(cell) for cell in header[:8]) or "nothing"
    return Problem(
        1,
        "",
        f"the header row ({shown}) fits none of the layouts: a wide table starts with a "
        "'CSP' column then one column per period; a long table has 'CSP', 'Period' and "
        "'Rate' (or 'Offences' and 'Population'); the Home Office table has 'CSP Name', "
        "'Offence Group' and 'Offence Count'. Fix the header row or choose the layout on upload",
    )


def whole_table(sheet: Sheet) -> pd.DataFrame:
    """Return every data row of a sheet (wide and long files are small enough to hold)."""
    frames = list(sheet.chunks)
    if not frames:
        return pd.DataFrame(columns=range(len(sheet.header)))
    return pd.concat(frames).fillna("")


def _cell(row: pd.Series, columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    return "" if index is None else str(row[index]).strip()


def _match_csp(
    parsed: ParsedFile,
    matcher: CSPMatcher,
    row: pd.Series,
    number: int,
    columns: dict[str, int],
    sheet: str,
) -> Figure | None:
    name = _cell(row, columns, "CSP")
    found = matcher.match(
        name, _cell(row, columns, "Police Force"), _cell(row, columns, "ONS code")
    )
    if found.unknown:
        force = _cell(row, columns, "Police Force")
        parsed.add_unknown(f"{force} - {name}" if force else name, number, found.message)
    elif found.csp is None:
        parsed.problems.append(Problem(number, "CSP", found.message, sheet))
    return found.csp


def parse_wide(
    sheet: Sheet, options: ImportOptions, span: Span | None, matcher: CSPMatcher, parsed: ParsedFile
) -> None:
    """Add the figures of the plan's own table: a CSP column, then one column per period."""
    columns, problems = map_columns(sheet.header)
    parsed.problems.extend(problems)
    if "CSP" not in columns and "ONS code" not in columns:
        parsed.problems.append(missing_column("CSP", "the wide layout names each row's CSP."))
        return
    periods: dict[int, PeriodSpec] = {}
    seen: dict[PeriodSpec, str] = {}
    # Every column but the CSP's own (name, force, ONS code) is a period.
    columns = {
        name: columns[name] for name in ("CSP", "Police Force", "ONS code") if name in columns
    }
    for index, header in enumerate(sheet.header):
        if index in columns.values():
            continue
        try:
            period = parse_period(header, span)
        except PeriodError as error:
            parsed.problems.append(Problem(1, header, f"{error}", sheet.name))
            continue
        if period in seen:
            parsed.problems.append(
                Problem(
                    1,
                    header,
                    f"this column repeats the period of {seen[period]!r}: "
                    "keep one column per period",
                    sheet.name,
                )
            )
            continue
        seen[period] = header
        periods[index] = period
    if not periods and not parsed.problems:
        parsed.problems.append(
            Problem(
                1,
                "",
                "the table has no period columns: after 'CSP', give one column "
                "per period, headed like `April–December 2018`",
                sheet.name,
            )
        )
    table = whole_table(sheet)
    parsed.rows_read += len(table)
    first_row_of: dict[int, int] = {}
    for number, row in table.iterrows():
        csp = _match_csp(parsed, matcher, row, number, columns, sheet.name)
        if csp is None:
            continue
        if csp.pk in first_row_of:
            parsed.problems.append(
                Problem(
                    number,
                    "CSP",
                    f"this row repeats {csp.label!r} from row "
                    f"{first_row_of[csp.pk]}: keep one row per CSP",
                    sheet.name,
                )
            )
            continue
        first_row_of[csp.pk] = number
        for index, period in periods.items():
            text = str(row[index]).strip()
            if not text:
                continue  # a blank cell in the plan's table means no figure for that period
            try:
                rate = parse_rate(text)
            except NumberError as error:
                parsed.problems.append(Problem(number, sheet.header[index], str(error), sheet.name))
                continue
            parsed.figures.append(
                Figure(csp, period, options.category, rate, None, None, number, sheet.name)
            )


def parse_long(
    sheet: Sheet, options: ImportOptions, span: Span | None, matcher: CSPMatcher, parsed: ParsedFile
) -> None:
    """Add the figures of a long table: one row per CSP × period × category."""
    columns, problems = map_columns(sheet.header)
    parsed.problems.extend(problems)
    if "CSP" not in columns and "ONS code" not in columns:
        parsed.problems.append(missing_column("CSP", "the long layout names each row's CSP."))
    if "Period" not in columns and not options.period:
        parsed.problems.append(
            missing_column("Period", "or give the period of the whole file on upload;")
        )
    has_rate = "Rate" in columns
    if not has_rate and not {"Offences", "Population"} <= columns.keys():
        parsed.problems.append(
            missing_column("Rate", "or give both 'Offences' and 'Population' columns;")
        )
    if parsed.problems:
        return
    fixed_period = None
    if "Period" not in columns:
        try:
            fixed_period = parse_period(options.period, span)
        except PeriodError as error:
            parsed.problems.append(Problem(None, "Period", f"the period given on upload: {error}"))
            return
    table = whole_table(sheet)
    parsed.rows_read += len(table)
    for number, row in table.iterrows():
        row_problems: list[Problem] = []
        period = fixed_period
        if period is None:
            try:
                period = parse_period(_cell(row, columns, "Period"), span)
            except PeriodError as error:
                row_problems.append(Problem(number, sheet.header[columns["Period"]], str(error)))
        category = _cell(row, columns, "Category") or options.category
        offences = population = None
        rate = None
        for name, what in (("Offences", "number of offences"), ("Population", "population")):
            if name in columns and (has_rate is False or _cell(row, columns, name)):
                try:
                    value = parse_count(_cell(row, columns, name), what)
                except NumberError as error:
                    row_problems.append(Problem(number, sheet.header[columns[name]], str(error)))
                    continue
                if name == "Offences":
                    offences = value
                else:
                    population = value
        if population == 0:
            row_problems.append(
                Problem(
                    number,
                    sheet.header[columns["Population"]],
                    "the population is 0: a rate needs a population",
                )
            )
        try:
            if has_rate:
                rate = parse_rate(_cell(row, columns, "Rate"))
            elif offences is not None and population:
                rate = rate_from(offences, population)
        except NumberError as error:
            row_problems.append(Problem(number, sheet.header[columns["Rate"]], str(error)))
        csp = _match_csp(parsed, matcher, row, number, columns, sheet.name)
        parsed.problems.extend(
            Problem(p.row, p.column, p.message, sheet.name) for p in row_problems
        )
        if csp is None or row_problems or rate is None or period is None:
            continue
        # Repeats are found once over the whole file (`ParsedFile.drop_repeated_figures`).
        parsed.figures.append(
            Figure(csp, period, category, rate, offences, population, number, sheet.name)
        )
