"""What an import checks before any figure is made: columns by name, CSPs by name or code.

Column headers have varied between Home Office releases and between the files admins keep, so
each column has a canonical name and the aliases it is also known by. Headers are compared as
CSP names are: ignoring case, repeated spaces and `&`/`and`.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import asdict, dataclass

from crime_stats.models import CSP
from crime_stats.names import normalise_name

# Canonical column name -> the other headers that mean it.
ALIASES: dict[str, tuple[str, ...]] = {
    "CSP": (
        "CSP Name",
        "Community Safety Partnership",
        "Community Safety Partnership Name",
        "CSP name",
        "Area Name",
        "nice-name",
    ),
    "Police Force": ("Force Name", "Force", "Police Force Area", "PFA"),
    "ONS code": ("ONS area code", "CSP code", "CSP Code", "Area Code", "csp-code", "GSS code"),
    "Financial Year": ("Year", "FY"),
    "Financial Quarter": ("Quarter", "Qtr"),
    "Period": ("Reporting Period", "Reporting period label"),
    "Category": ("Crime Category", "Crime Type", "Offence Category"),
    "Rate": (
        "Crimes per 1,000",
        "Crimes per 1000",
        "Rate per 1,000",
        "Rate per 1000",
        "Crime Rate",
        "Crimes per 1,000 population",
    ),
    "Offences": ("Number of Offences", "Offence Count", "Crimes", "Count", "Recorded Crimes"),
    "Population": ("pop-2020", "Mid-year population", "Mid-year estimate", "Pop"),
    "Offence Description": ("Offence",),
    "Offence Group": ("Offence Group Name",),
    "Offence Subgroup": ("Offence Sub Group", "Offence Sub-group"),
    "Offence Code": ("Home Office Offence Code", "HO Offence Code"),
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where it is (row, column, sheet) and how to fix it."""

    row: int | None
    column: str
    message: str
    sheet: str = ""

    def as_dict(self) -> dict:
        """Return the problem as ImportBatch.errors stores it."""
        return {key: value for key, value in asdict(self).items() if value not in ("", None)}

    def __str__(self) -> str:
        where = [f"sheet {self.sheet}"] if self.sheet else []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where) or 'file'}: {self.message}"


def _key(header: str) -> str:
    return normalise_name(header.replace("_", " ").replace("-", " "))


_LOOKUP = {
    _key(alias): canonical
    for canonical, aliases in ALIASES.items()
    for alias in (canonical, *aliases)
}


def canonical_column(header: str) -> str | None:
    """Return the canonical name of a header (`Force Name` -> `Police Force`), or None."""
    return _LOOKUP.get(_key(header))


def map_columns(header: list[str]) -> tuple[dict[str, int], list[Problem]]:
    """Return canonical name -> column index for the known headers, and repeated-column problems."""
    found: dict[str, int] = {}
    problems = []
    for index, cell in enumerate(header):
        canonical = canonical_column(cell)
        if canonical is None:
            continue
        if canonical in found:
            problems.append(
                Problem(
                    1,
                    cell,
                    f"this column repeats {header[found[canonical]]!r} (both mean {canonical!r}): "
                    "keep one of them",
                )
            )
            continue
        found[canonical] = index
    return found, problems


def missing_column(canonical: str, why: str = "") -> Problem:
    """Return the problem for a required column the header row lacks."""
    names = ", ".join(repr(alias) for alias in ALIASES[canonical])
    reason = f" {why}" if why else ""
    return Problem(
        1,
        canonical,
        f"the header row has no {canonical!r} column (also accepted: {names}):{reason} "
        "add it to the header row",
    )


@dataclass(frozen=True)
class CSPMatch:
    """The outcome of matching one CSP cell: the CSP, or why none matched."""

    csp: CSP | None
    unknown: bool = False
    message: str = ""


class CSPMatcher:
    """Finds the portal's CSPs by full label, name alone or ONS code, as DESIGN.md says."""

    def __init__(self, csps: list[CSP] | None = None) -> None:
        self.csps = list(CSP.objects.all()) if csps is None else csps
        self._by_key: dict[str, set[CSP]] = defaultdict(set)
        for csp in self.csps:
            for key in csp.match_keys():
                self._by_key[key].add(csp)
        self._labels = {normalise_name(csp.label): csp for csp in self.csps}
        self._names = {normalise_name(csp.name): csp for csp in self.csps}

    def match(self, name: str, force: str = "", code: str = "") -> CSPMatch:
        """Return the CSP that a row names by label, force and name, name, or ONS code."""
        candidates: list[str] = []
        if code.strip():
            candidates.append(code.strip().lower())
        if force.strip() and name.strip():
            candidates.append(normalise_name(f"{force} - {name}"))
        if name.strip():
            candidates.append(normalise_name(name))
        for key in candidates:
            found = self._by_key.get(key, set())
            if len(found) == 1:
                return CSPMatch(next(iter(found)))
            if len(found) > 1:
                labels = ", ".join(sorted(csp.label for csp in found))
                return CSPMatch(
                    None,
                    message=f"{name!r} matches several CSPs ({labels}): "
                    "give the full `Force - CSP` label or the ONS code",
                )
        shown = name or code
        if not shown:
            return CSPMatch(None, message="the CSP is blank: name the CSP on every row")
        return CSPMatch(None, unknown=True, message=self.unknown_message(shown, force))

    def suggestion(self, name: str, force: str = "") -> str | None:
        """Return the label of the known CSP whose name is closest to `name`, if any is close."""
        text = normalise_name(f"{force} - {name}" if force else name)
        pool = self._labels if force else {**self._labels, **self._names}
        close = difflib.get_close_matches(text, list(pool), n=1, cutoff=0.75)
        return pool[close[0]].label if close else None

    def unknown_message(self, name: str, force: str = "") -> str:
        """Return the message for a CSP that is not in the portal, with the closest name."""
        shown = f"{force} - {name}" if force else name
        closest = self.suggestion(name, force)
        hint = (
            f"did you mean {closest!r}? Correct the name, "
            if closest
            else "no CSP in the portal has a similar name; "
        )
        return (
            f"{shown!r} is not a CSP in the portal: {hint}add the CSP in the administration "
            "pages, or confirm the import with the CSPs that are not in the portal skipped"
        )
