"""The Home Office "police recorded crime by CSP" table, summed to offence groups and All crime.

A national file holds about a million rows, so it is read in chunks and checked with whole-column
operations: no Python code runs once per row. Each chunk is checked, matched to the portal's CSPs
and summed at once; only the small sums are kept.
"""

from __future__ import annotations

import pandas as pd

from crime_stats.importers.columns import map_columns, missing_column
from crime_stats.importers.csp_matcher import CSPMatcher
from crime_stats.importers.periods import (
    PeriodError,
    PeriodSpec,
    Span,
    parse_period,
    quarter_span,
    quarters_of,
    span_label,
    span_period,
)
from crime_stats.importers.problems import Problem
from crime_stats.importers.readers import Sheet
from crime_stats.importers.records import (
    Figure,
    ImportOptions,
    ParsedFile,
    quote,
    rate_from,
    uk_counts,
)
from crime_stats.models import ALL_CRIME
from crime_stats.names import normalise_name
from lib.financial_year import (
    FULL_YEAR,
    FinancialYearError,
    financial_year_of,
    parse_financial_year,
)

# Every full Home Office release has this group (the largest); a file without it is an extract
# of a few offences, whose total would be mistaken for all recorded crime.
ALL_CRIME_NEEDS = "violence against the person"
NO_PERIOD = -1
SEP = "\x1f"
POPULATION_SHEET = "population file"


def _column(chunk: pd.DataFrame, columns: dict[str, int], name: str) -> pd.Series:
    if name not in columns:
        return pd.Series("", index=chunk.index, dtype=object)
    return chunk[columns[name]].astype(str).str.strip()


def _row_problems(rows: pd.Series, column: str, message: str, sheet: str) -> list[Problem]:
    return [Problem(int(row), column, message, sheet) for row in rows.iloc[:250]]


class _Totals:
    """Sums and checks gathered across the chunks of every sheet."""

    def __init__(self) -> None:
        self.sums: list[pd.DataFrame] = []
        self.hashes: list[pd.DataFrame] = []
        self.unassigned: dict[str, list[int]] = {}
        self.csps: dict[int, object] = {}
        self.messages: dict[str, str] = {}  # (force, CSP, code) key -> why it matched nothing
        self.has_quarter = False
        self.has_year = False


def _read_chunk(
    chunk: pd.DataFrame,
    sheet: Sheet,
    columns: dict[str, int],
    matcher: CSPMatcher,
    parsed: ParsedFile,
    totals: _Totals,
    csp_ids: dict[str, int],
) -> None:
    header = sheet.header
    frame = pd.DataFrame(
        {
            "row": chunk.index.to_numpy(),
            "force": _column(chunk, columns, "Police Force"),
            "csp": _column(chunk, columns, "CSP"),
            "code": _column(chunk, columns, "ONS code"),
            "group": _column(chunk, columns, "Offence Group"),
            "count_text": _column(chunk, columns, "Offences"),
        }
    )
    count_column = header[columns["Offences"]]
    counts = uk_counts(frame["count_text"])  # `1,234` yes; `1,23`, `12,34`, `1.5` no
    bad_count = counts.isna()
    for text, rows in frame.loc[bad_count].groupby("count_text", sort=False)["row"]:
        parsed.add_problems(
            _row_problems(
                rows,
                count_column,
                f"{quote(text)} is not a whole number: give the number "
                "of offences as a whole number such as 12",
                sheet.name,
            ),
            kind_total=len(rows),
        )
    frame["offences"] = counts.fillna(0).astype("int64")
    good = ~bad_count

    unassigned = frame["csp"].str.contains("unassigned", case=False, regex=False)
    for force, part in frame.loc[unassigned & good].groupby("force", sort=False):
        seen = totals.unassigned.setdefault(force or "(no force named)", [0, 0])
        seen[0] += len(part)
        seen[1] += int(part["offences"].sum())
    good &= ~unassigned

    frame["fy"] = NO_PERIOD
    if "Financial Year" in columns:
        totals.has_year = True
        fy_text = _column(chunk, columns, "Financial Year")
        years: dict[str, int] = {}
        for text in fy_text.loc[good].unique():
            try:
                year = parse_financial_year(text)
            except FinancialYearError as error:
                rows = frame.loc[good & (fy_text == text), "row"]
                parsed.add_problems(
                    _row_problems(rows, header[columns["Financial Year"]], str(error), sheet.name),
                    kind_total=len(rows),
                )
            else:
                years[text] = year
        frame["fy"] = fy_text.map(years).fillna(NO_PERIOD).astype("int64")
        good &= frame["fy"] != NO_PERIOD

    frame["quarter"] = 0
    if "Financial Quarter" in columns:
        totals.has_quarter = True
        quarter = pd.to_numeric(_column(chunk, columns, "Financial Quarter"), errors="coerce")
        bad_quarter = good & ~quarter.isin([1, 2, 3, 4])
        parsed.add_problems(
            _row_problems(
                frame.loc[bad_quarter, "row"],
                header[columns["Financial Quarter"]],
                "the financial quarter must be 1 (April–June), 2 (July–September), "
                "3 (October–December) or 4 (January–March)",
                sheet.name,
            ),
            kind_total=int(bad_quarter.sum()),
        )
        frame["quarter"] = quarter.where(~bad_quarter, 0).fillna(0).astype("int64")
        good &= ~bad_quarter

    blank_group = good & (frame["group"] == "")
    parsed.add_problems(
        _row_problems(
            frame.loc[blank_group, "row"],
            header[columns["Offence Group"]],
            "the offence group is blank: give the Home Office offence group",
            sheet.name,
        ),
        kind_total=int(blank_group.sum()),
    )
    good &= ~blank_group

    # Match each distinct (force, CSP, code) once, then map the whole column.
    keys = frame["force"] + SEP + frame["csp"] + SEP + frame["code"]
    for key in keys.loc[good].unique():
        if key in csp_ids:
            continue
        force, name, code = key.split(SEP)
        found = matcher.match(name, force, code)
        csp_ids[key] = found.csp.pk if found.csp else (-2 if found.unknown else -3)
        if found.csp:
            totals.csps[found.csp.pk] = found.csp
        else:
            totals.messages[key] = found.message
    frame["csp_id"] = keys.map(csp_ids)
    for key, rows in frame.loc[good & (frame["csp_id"] < 0)].groupby(keys, sort=False)["row"]:
        force, name, code = key.split(SEP)
        message = totals.messages[key]
        if csp_ids[key] == -2:
            shown = f"{force} - {name}" if force and name else (name or code)
            parsed.add_unknown(shown, int(rows.min()), message, rows=len(rows))
        else:
            parsed.add_problems(
                _row_problems(rows, header[columns["CSP"]], message, sheet.name), len(rows)
            )
    good &= frame["csp_id"] > 0

    valid = frame.loc[good]
    if "Financial Quarter" in columns and "Offence Code" in columns:
        # Two rows for the same offence code, CSP and quarter are a duplicate, not a sum.
        identity = valid[["fy", "quarter", "csp_id"]].copy()
        identity["offence"] = _column(chunk, columns, "Offence Code").loc[good]
        identity["description"] = _column(chunk, columns, "Offence Description").loc[good]
        totals.hashes.append(
            pd.DataFrame(
                {
                    "hash": pd.util.hash_pandas_object(identity, index=False).to_numpy(),
                    "row": valid["row"].to_numpy(),
                    "sheet": sheet.name,
                }
            )
        )
    totals.sums.append(
        valid.groupby(["fy", "quarter", "csp_id", "group"], sort=False)
        .agg(offences=("offences", "sum"), row=("row", "min"))
        .reset_index()
    )


def _report_duplicates(totals: _Totals, parsed: ParsedFile, column: str) -> None:
    if not totals.hashes:
        return
    hashes = pd.concat(totals.hashes, ignore_index=True)
    repeated = hashes.loc[hashes["hash"].duplicated(keep=False)].sort_values("row")
    if repeated.empty:
        return
    first = repeated.groupby("hash")["row"].transform("min")
    later = repeated.loc[repeated["row"] != first]
    parsed.add_problems(
        [
            Problem(
                int(row),
                column,
                f"this row repeats row {int(first_row)} (the same "
                "financial year, quarter, CSP and offence): remove one of them",
                sheet,
            )
            for row, first_row, sheet in zip(
                later["row"].iloc[:250],
                first.loc[later.index].iloc[:250],
                later["sheet"].iloc[:250],
                strict=True,
            )
        ],
        kind_total=len(later),
    )


def _periods(
    sums: pd.DataFrame,
    totals: _Totals,
    options: ImportOptions,
    span: Span | None,
    parsed: ParsedFile,
) -> dict[tuple[int, int], PeriodSpec]:
    """Return (financial year, quarter) -> the period its counts belong to; notes what is left."""
    pairs = sums[["fy", "quarter"]].drop_duplicates()
    if not totals.has_year:
        try:
            period = parse_period(options.period, span)
        except PeriodError as error:
            parsed.problems.append(Problem(None, "Period", f"the period given on upload: {error}"))
            return {}
        parsed.notes.append(
            f"The file has no financial year or quarter columns: its counts are taken to cover "
            f"{period.label}, as given on upload, and repeated rows are summed."
        )
        return {(int(fy), int(q)): period for fy, q in pairs.itertuples(index=False)}
    if not totals.has_quarter:
        parsed.notes.append(
            "The file has no quarter column: each financial year's counts are taken to cover "
            f"{span_label(span or FULL_YEAR)}."
        )
        return {
            (int(fy), int(q)): span_period(span or FULL_YEAR, int(fy))
            for fy, q in pairs.itertuples(index=False)
        }
    chosen = span or FULL_YEAR
    quarters = quarters_of(chosen)
    if quarters is None:
        parsed.problems.append(
            Problem(
                None,
                "Financial Quarter",
                "the span chosen on upload splits a financial "
                "quarter: choose whole quarters, such as April-December",
            )
        )
        return {}
    result = {}
    for fy, group in pairs.groupby("fy"):
        present = set(group["quarter"].astype(int))
        label = f"{fy}/{(fy + 1) % 100:02d}"
        if missing := [q for q in quarters if q not in present]:
            months = ", ".join(f"{q} ({span_label(quarter_span([q]))})" for q in missing)
            parsed.problems.append(
                Problem(
                    None,
                    "Financial Quarter",
                    f"financial year {label} has no rows for "
                    f"quarter {months}, which the span needs: load a file with every "
                    "quarter of the span, or choose a shorter span",
                )
            )
        if extra := sorted(present - set(quarters)):
            parsed.notes.append(
                f"Quarters {', '.join(map(str, extra))} of {label} lie outside the span "
                "chosen on upload and are left out."
            )
        for q in quarters:
            result[(int(fy), q)] = span_period(chosen, int(fy))
    return result


def parse_ons(
    sheets: list[Sheet],
    options: ImportOptions,
    span: Span | None,
    matcher: CSPMatcher,
    parsed: ParsedFile,
    populations: dict[tuple[int, int | None], int] | None,
) -> None:
    """Add the offence-group and All crime figures of a Home Office table."""
    totals = _Totals()
    csp_ids: dict[str, int] = {}
    count_column = "Offences"
    for sheet in sheets:
        columns, problems = map_columns(sheet.header)
        missing = [
            missing_column(name)
            for name in ("CSP", "Offence Group", "Offences")
            if name not in columns
        ]
        if "Financial Year" not in columns and not options.period:
            missing.append(
                missing_column(
                    "Financial Year", "or give the period the whole file covers on upload;"
                )
            )
        if missing or problems:
            parsed.problems.extend(
                Problem(p.row, p.column, p.message, sheet.name) for p in [*problems, *missing]
            )
            continue
        count_column = sheet.header[columns["Offences"]]
        for chunk in sheet.chunks:
            parsed.rows_read += len(chunk)
            _read_chunk(chunk, sheet, columns, matcher, parsed, totals, csp_ids)
    _report_duplicates(totals, parsed, "Offence Code")
    for force, (rows, offences) in sorted(totals.unassigned.items()):
        parsed.notes.append(
            f"{rows:,} 'Unassigned' rows of {force} ({offences:,} offences) are left out of "
            "every CSP."
        )
    if not totals.sums:
        return
    sums = pd.concat(totals.sums, ignore_index=True)
    periods = _periods(sums, totals, options, span, parsed)
    keys = list(zip(sums["fy"], sums["quarter"], strict=True))
    sums["period"] = [periods.get((int(fy), int(q))) for fy, q in keys]
    sums = sums.loc[sums["period"].notna()]
    by_group = (
        sums.groupby(["period", "csp_id", "group"], sort=False)
        .agg(offences=("offences", "sum"), row=("row", "min"))
        .reset_index()
    )
    groups = {normalise_name(name) for name in by_group["group"].unique()}
    if ALL_CRIME_NEEDS in groups:
        counted = ~by_group["group"].map(normalise_name).str.contains("fraud", regex=False)
        total = (
            by_group.loc[counted]
            .groupby(["period", "csp_id"], sort=False)
            .agg(offences=("offences", "sum"), row=("row", "min"))
            .reset_index()
            .assign(group=ALL_CRIME)
        )
        by_group = pd.concat([by_group, total], ignore_index=True)
    elif len(by_group):
        parsed.notes.append(
            "The file holds only some offence groups ("
            + ", ".join(sorted(by_group["group"].unique()))
            + "), so no 'All crime' total is made from it."
        )
    _make_figures(by_group, totals, populations, parsed, count_column)


def _make_figures(
    by_group: pd.DataFrame,
    totals: _Totals,
    populations: dict[tuple[int, int | None], int] | None,
    parsed: ParsedFile,
    count_column: str,
) -> None:
    """Add a figure per period, CSP and group, its rate from the CSP's population that year.

    A population table with a 'Financial Year' column gives each year its own population; one
    without gives each CSP one population, used for every year (and the preview says so).
    """
    if populations is None:
        parsed.problems.append(
            Problem(
                None,
                "Population",
                "the Home Office table gives counts, so rates need a "
                "population table: load one with it (a 'CSP' column and a 'Population' "
                "column)",
            )
        )
        return
    by_year = any(year is not None for _, year in populations)
    missing_population: set[tuple[int, int | None]] = set()
    for period, csp_id, group, offences, row in by_group[
        ["period", "csp_id", "group", "offences", "row"]
    ].itertuples(index=False):
        csp = totals.csps[csp_id]
        if offences < 0:
            parsed.problems.append(
                Problem(
                    int(row),
                    count_column,
                    f"the offences of {csp.label} in {group} for "
                    f"{period.label} sum to {offences}: a total cannot be negative; check "
                    "this CSP's rows for that offence group",
                )
            )
            continue
        year = financial_year_of(period.start) if by_year else None
        population = populations.get((csp_id, year))
        if not population:
            if (csp_id, year) not in missing_population:
                missing_population.add((csp_id, year))
                in_year = "" if year is None else f" in {year}/{(year + 1) % 100:02d}"
                parsed.problems.append(
                    Problem(
                        None,
                        "Population",
                        f"the population table has no population for "
                        f"{csp.label}{in_year} (named from row {row} of the file): add a row "
                        "for it to the population table",
                        POPULATION_SHEET,
                    )
                )
            continue
        parsed.figures.append(
            Figure(
                csp,
                period,
                group,
                rate_from(int(offences), population),
                int(offences),
                population,
                int(row),
            )
        )
    years = sorted({financial_year_of(figure.period.start) for figure in parsed.figures})
    if not by_year and len(years) > 1:
        labels = ", ".join(f"{year}/{(year + 1) % 100:02d}" for year in years)
        parsed.notes.append(
            "The population table has no 'Financial Year' column, so each CSP's one population "
            f"was used for every year in the file ({labels}). Add a 'Financial Year' column "
            "with a row per CSP and year to use each year's population."
        )
