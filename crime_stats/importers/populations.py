"""Population estimates per CSP and year, read from the tables admins have.

Three layouts, told from the header row (title rows above it are skipped):

- by local authority district code, summed into CSPs through the ONS lookups: the ONS mid-year
  estimates (`Code, Name, Geography, All ages` as in MYE2, or one `Mid-2022` column per year as
  in MYE4) and mySociety's local authority table as it is (`lad-code` and `pop-2020`; its rows
  for Scotland, Northern Ireland and counties match no district of a CSP and are not used);
- by CSP: a CSP name or ONS code (E22/W14) column and the same population columns, or the
  population table the upload page has always taken (`CSP`, `Financial Year`, `Population`).

A CSP's estimate is the sum of the districts it covers in the most recent lookup (2023, 2021,
2017) whose districts the file gives in full and which each lie wholly inside it. A district
shared by several CSPs (Buckinghamshire, since 2020, spans four) cannot be split, so a CSP
that needs one gets no estimate from the file, and the preview says which and why.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

import pandas as pd

from crime_stats.importers.columns import canonical_column
from crime_stats.importers.csp_matcher import CSPMatcher
from crime_stats.importers.layouts import whole_table
from crime_stats.importers.problems import Problem
from crime_stats.importers.readers import UnreadableFile, read_sheets
from crime_stats.importers.records import NumberError, parse_count
from crime_stats.models import CSP, LocalAuthority
from lib.financial_year import FinancialYearError, parse_financial_year

LOOKUP_YEARS = (2023, 2021, 2017)  # newest first: the first that fits a CSP is used
HEADER_SCAN_ROWS = 20  # ONS tables put a few title rows above the header
_LAD = re.compile(r"^[EW]0[6-9]\d{6}$")
_CSP_CODE = re.compile(r"^(E22|W14)\d{6}$")
_CODE_HEADERS = re.compile(
    r"^(code|area ?code|lad ?code|lad-code|geography ?code|la ?code|lad\d{2}cd|csp\d{2}cd)$",
    re.IGNORECASE,
)
_YEAR_COLUMN = re.compile(r"^(?:mid[- ]?|pop[- ]?|population[- ]?)(\d{4})$", re.IGNORECASE)
_ONE_YEAR_COLUMN = re.compile(r"^(all ages|population|persons|all persons)$", re.IGNORECASE)
SHEET = "population file"

NO_YEAR = (
    "the population column does not say which year it estimates: give the year "
    "of the estimates (mid-year, such as 2024) on upload, or head the column `Mid-2024`"
)


@dataclass
class Estimate:
    """One CSP's estimate for one mid-year, and how it was made from the file."""

    csp: CSP
    year: int
    population: int
    how: str


@dataclass
class PopulationFile:
    """What a population file gives: estimates per CSP and year, what it could not, problems."""

    layout: str = ""
    rows_read: int = 0
    rows_ignored: int = 0
    estimates: dict[tuple[int, int], Estimate] = field(default_factory=dict)
    missing: list[dict] = field(default_factory=list)  # {csp, year, reason}
    problems: list[Problem] = field(default_factory=list)
    years: list[int] = field(default_factory=list)


def _find_header(table: pd.DataFrame, header: list[str]) -> tuple[list[str], pd.DataFrame]:
    """Return the real header row and the rows below it, skipping title rows above it."""
    if _is_header(header):
        return header, table
    for position, (_index, row) in enumerate(table.head(HEADER_SCAN_ROWS).iterrows()):
        cells = [str(cell).strip() for cell in row.tolist()]
        if _is_header(cells):
            return cells, table.iloc[position + 1 :]
    return header, table


def _is_header(cells: list[str]) -> bool:
    has_code = any(_CODE_HEADERS.match(c) or canonical_column(c) == "CSP" for c in cells)
    has_count = any(
        _YEAR_COLUMN.match(c) or _ONE_YEAR_COLUMN.match(c) or canonical_column(c) == "Population"
        for c in cells
    )
    return has_code and has_count


def _population_columns(
    header: list[str], year: int | None, result: PopulationFile
) -> dict[int, int | None]:
    """Return column index -> the mid-year it estimates (None: from a Financial Year column)."""
    by_year = {
        index: int(match[1])
        for index, cell in enumerate(header)
        if (match := _YEAR_COLUMN.match(cell))
    }
    if by_year:
        return by_year
    single = [
        index
        for index, cell in enumerate(header)
        if _ONE_YEAR_COLUMN.match(cell) or canonical_column(cell) == "Population"
    ]
    if not single:
        result.problems.append(
            Problem(1, "Population", "the table has no population column: head it `All ages`, "
                    "`Population` or `Mid-2024`", SHEET)
        )  # fmt: skip
        return {}
    return {single[0]: year}


def read_population_file(
    content: bytes, *, file_name: str = "", year: int | None = None
) -> PopulationFile:
    """Return the CSP estimates a population file gives; `year` names an undated column."""
    result = PopulationFile()
    try:
        # The first table of the file (readers may stream its sheets and rows lazily).
        sheet = next(iter(read_sheets(content, SHEET, file_name=file_name)), None)
        if sheet is None:
            raise UnreadableFile("The file holds no table: load a table of population estimates.")
        header, table = _find_header(whole_table(sheet), sheet.header)
    except UnreadableFile as error:
        result.problems.append(Problem(None, "", str(error), SHEET))
        return result
    table = table.fillna("")
    result.rows_read = len(table)
    code_index = next((i for i, c in enumerate(header) if _CODE_HEADERS.match(c)), None)
    canonical = {canonical_column(c): i for i, c in reversed(list(enumerate(header)))}
    year_index = canonical.get("Financial Year")
    columns = _population_columns(header, year, result)
    if not columns:
        return result
    if year_index is None and None in columns.values():
        result.problems.append(Problem(1, header[next(iter(columns))], NO_YEAR, SHEET))
        return result
    codes = table[code_index].astype(str).str.strip() if code_index is not None else None
    if codes is not None and codes.str.match(_LAD.pattern).any():
        result.layout = "local authority districts"
        _read_districts(table, header, codes, columns, result)
    else:
        result.layout = "CSPs"
        _read_csps(table, header, canonical, code_index, year_index, columns, result)
    result.years = sorted({year for _csp, year in result.estimates})
    return result


def _count(text: object, row: int, column: str, result: PopulationFile) -> int | None:
    value = str(text).strip()
    if not value:
        return None
    try:
        number = parse_count(value, "population")
    except NumberError as error:
        result.problems.append(Problem(row, column, str(error), SHEET))
        return None
    return number or None


def _read_districts(
    table: pd.DataFrame,
    header: list[str],
    codes: pd.Series,
    columns: dict[int, int | None],
    result: PopulationFile,
) -> None:
    """Sum district estimates into CSPs through the newest lookup that fits each CSP."""
    known = set(LocalAuthority.objects.values_list("code", flat=True))
    given: dict[int, dict[str, int]] = defaultdict(dict)  # year -> district code -> people
    first_row: dict[tuple[int, str], int] = {}
    for number, code in codes.items():
        if code not in known:
            result.rows_ignored += 1
            continue
        for index, year in columns.items():
            people = _count(table.at[number, index], int(number), header[index], result)
            if people is None:
                continue
            if (year, code) in first_row:
                result.problems.append(
                    Problem(int(number), header[index], f"this row repeats district {code} from "
                            f"row {first_row[(year, code)]}: keep one row per district", SHEET)
                )  # fmt: skip
                continue
            first_row[(year, code)] = int(number)
            given[year][code] = people
    districts: dict[int, dict[int, list[LocalAuthority]]] = defaultdict(lambda: defaultdict(list))
    csps = {}
    for lad in LocalAuthority.objects.select_related("csp"):
        districts[lad.csp_id][lad.lookup_year].append(lad)
        csps[lad.csp_id] = lad.csp
    for year, people in sorted(given.items()):
        for csp_id, lookups in districts.items():
            _sum_csp(csps[csp_id], year, lookups, people, result)


def _sum_csp(
    csp: CSP,
    year: int,
    lookups: dict[int, list[LocalAuthority]],
    people: dict[str, int],
    result: PopulationFile,
) -> None:
    reasons = []
    for lookup in LOOKUP_YEARS:
        lads = lookups.get(lookup, [])
        shared = [lad for lad in lads if lad.shared]
        absent = [lad for lad in lads if lad.code not in people]
        if lads and not shared and not absent:
            names = ", ".join(f"{lad.name} {lad.code}" for lad in lads)
            result.estimates[(csp.pk, year)] = Estimate(
                csp, year, sum(people[lad.code] for lad in lads),
                f"sum of {len(lads)} district{'s' if len(lads) > 1 else ''} ({names}), "
                f"{lookup} lookup",
            )  # fmt: skip
            return
        if shared and not [lad for lad in shared if lad.code not in people]:
            lad = shared[0]
            reason = f"{lad.name} ({lad.code}) spans several CSPs"
        elif absent:
            reason = f"the file has no figure for {absent[0].name} ({absent[0].code})"
        else:
            continue
        if reason not in reasons:
            reasons.append(reason)
    result.missing.append({"csp": csp.label, "year": year, "reason": "; ".join(reasons)})


def _read_csps(
    table: pd.DataFrame,
    header: list[str],
    canonical: dict[str | None, int],
    code_index: int | None,
    year_index: int | None,
    columns: dict[int, int | None],
    result: PopulationFile,
) -> None:
    """Read a CSP-level table: each row names a CSP by name (with force) or ONS code."""
    matcher = CSPMatcher()
    first_row: dict[tuple[int, int], int] = {}

    def cell(row: pd.Series, index: int | None) -> str:
        return "" if index is None else str(row[index]).strip()

    for number, row in table.iterrows():
        code = cell(row, canonical.get("ONS code", code_index))
        found = matcher.match(
            cell(row, canonical.get("CSP")), cell(row, canonical.get("Police Force")),
            code if _CSP_CODE.match(code) else "",
        )  # fmt: skip
        if found.csp is None:
            result.rows_ignored += 1
            continue
        for index, year in columns.items():
            if year is None:
                try:
                    start = parse_financial_year(cell(row, year_index))
                except FinancialYearError as error:
                    problem = Problem(int(number), header[year_index], str(error), SHEET)
                    result.problems.append(problem)
                    continue
                year = start
            people = _count(row[index], int(number), header[index], result)
            if people is None:
                continue
            key = (found.csp.pk, year)
            if key in first_row:
                result.problems.append(
                    Problem(int(number), header[index], f"this row repeats {found.csp.label} "
                            f"for mid-{year} from row {first_row[key]}: keep one", SHEET)
                )  # fmt: skip
                continue
            first_row[key] = int(number)
            result.estimates[key] = Estimate(found.csp, year, people, "given for the CSP")
