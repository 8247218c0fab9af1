"""Small files for the import tests, written the way admins' tools write them."""

from __future__ import annotations

import io

import pandas as pd

from crime_stats.importers import ImportOptions, ImportPlan, parse_file, plan_import

PLAN_HEADER = "CSP,2016,2017,2018\n"
LEICESTER = "Leicestershire - Leicester"
NOTTINGHAM = "Nottinghamshire - Nottingham"


def csv_bytes(text: str, encoding: str = "utf-8") -> bytes:
    """Return CSV text encoded as a file would be (`utf-8-sig` adds Excel's BOM)."""
    return text.encode(encoding)


def spreadsheet_bytes(sheets: dict[str, list[list[object]]], engine: str) -> bytes:
    """Return an XLSX (openpyxl) or ODS (odf) file with one sheet per entry; row 0 is the header."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine=engine) as writer:
        for name, rows in sheets.items():
            pd.DataFrame(rows[1:], columns=rows[0]).to_excel(writer, sheet_name=name, index=False)
    return buffer.getvalue()


def plan_for(content: bytes, population: bytes | None = None, **options) -> ImportPlan:
    """Return the import plan of a file with the given options (writes nothing)."""
    chosen = ImportOptions(**options)
    return plan_import(parse_file(content, chosen, population), chosen)


def problem_texts(plan: ImportPlan) -> list[str]:
    """Return every problem as the report prints it."""
    return [str(problem) for problem in plan.problems]


ONS_HEADER = (
    "Financial Year,Financial Quarter,Force Name,CSP Name,Offence Description,Offence Group,"
    "Offence Subgroup,Offence Code,Offence Count\n"
)


def ons_rows(csp: str, force: str, year: str, quarter: int, counts: dict[str, int]) -> str:
    """Return Home Office rows for one CSP and quarter: offence code -> count."""
    groups = {
        "1": ("Murder", "Violence against the person", "Homicide"),
        "34A": ("Robbery of business property", "Robbery", "Robbery"),
        "34B": ("Robbery of personal property", "Robbery", "Robbery"),
        "28": ("Burglary in a dwelling", "Theft offences", "Domestic burglary"),
        "53": ("Fraud by false representation", "Fraud offences", "Fraud"),
        "19C": ("Rape of a female aged 16 and over", "Sexual offences", "Rape"),
        "58A": ("Criminal damage to a dwelling", "Criminal damage and arson", "Criminal damage"),
        "92A": ("Trafficking in controlled drugs", "Drug offences", "Trafficking of drugs"),
        "10A": (
            "Possession of firearms with intent",
            "Possession of weapons offences",
            "Possession of weapons offences",
        ),
        "9": ("Public fear alarm or distress", "Public order offences", "Public order offences"),
        "99": (
            "Other notifiable offences",
            "Miscellaneous crimes against society",
            "Miscellaneous crimes against society",
        ),
    }
    lines = []
    for code, count in counts.items():
        description, group, subgroup = groups[code]
        lines.append(
            f"{year},{quarter},{force},{csp},{description},{group},{subgroup},{code},{count}\n"
        )
    return "".join(lines)


# The six offence groups the small files leave out, so that a file has all nine groups of total
# recorded crime (and so an All crime figure) when these are added with a count of 0.
OTHER_GROUPS = {"19C": 0, "58A": 0, "92A": 0, "10A": 0, "9": 0, "99": 0}

POPULATION = "CSP,Population\nLeicester,350000\nNottingham,320000\n"
