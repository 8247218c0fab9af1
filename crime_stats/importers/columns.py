"""How an import finds its columns by name, whatever the release calls them.

Column headers have varied between Home Office releases and between the files admins keep, so
each column has a canonical name and the aliases it is also known by. Headers are compared as
CSP names are: ignoring case, repeated spaces and `&`/`and`.
"""

from __future__ import annotations

from crime_stats.importers.problems import Problem
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
