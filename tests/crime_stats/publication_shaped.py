"""A small file shaped like the Home Office's national CSP publication, built in code.

One sheet per financial year (`2024_25`, `2025_26`), headed as the publication is, one row per
CSP × offence code × quarter with counts as float cells, every one of the nine offence groups
of total recorded crime plus fraud, `Drug offences` spelt `Drug Offences` in the second year,
an `Unassigned Leicestershire` area, and a mid-year edition: 2025/26 has quarters 1 and 2 only.
The rows are kept as plain tuples so that tests can work out every total on their own.
"""

from __future__ import annotations

HEADER = [
    "Financial Year", "Financial Quarter", "Police Force", "CSP Name", "Offence Description",
    "Offence Group", "Offence Subgroup", "Offence Code", "Offence Count",
]  # fmt: skip
# Offence code -> (description, group); `Drug offences` is spelt per year below.
OFFENCES = {
    "8N": ("Assault with injury", "Violence against the person"),
    "19C": ("Rape of a female aged 16 and over", "Sexual offences"),
    "34B": ("Robbery of personal property", "Robbery"),
    "28E": ("Burglary - residential", "Theft offences"),
    "45": ("Theft from the person", "Theft offences"),
    "58A": ("Criminal damage to a dwelling", "Criminal damage and arson"),
    "92A": ("Trafficking in controlled drugs", "Drug offences"),
    "10A": ("Possession of firearms with intent", "Possession of weapons offences"),
    "9": ("Public fear alarm or distress", "Public order offences"),
    "99": ("Other notifiable offences", "Miscellaneous crimes against society"),
    "53": ("Fraud by false representation", "Fraud offences"),
}
CSPS = [("Leicestershire", "Leicester"), ("Nottinghamshire", "Nottingham")]
YEARS = {"2024/25": (1, 2, 3, 4), "2025/26": (1, 2)}  # 2025/26: a mid-year edition


def count(csp: str, year: str, quarter: int, code: str) -> float:
    """Return a made-up but distinct count for one CSP, year, quarter and offence code."""
    base = {"Leicester": 100, "Nottingham": 70, "Unassigned Leicestershire": 3}[csp]
    return float(base + 7 * quarter + len(code) * 5 + (11 if year == "2025/26" else 0))


def rows() -> list[tuple]:
    """Return every data row as (year, quarter, force, CSP, description, group, code, count)."""
    result = []
    for year, quarters in YEARS.items():
        for quarter in quarters:
            for force, csp in [*CSPS, ("Leicestershire", "Unassigned Leicestershire")]:
                for code, (description, group) in OFFENCES.items():
                    if group == "Drug offences" and year == "2025/26":
                        group = "Drug Offences"
                    result.append(
                        (year, quarter, force, csp, description, group, code,
                         count(csp, year, quarter, code))
                    )  # fmt: skip
    return result


def sheets() -> dict[str, list[list[object]]]:
    """Return the publication's year sheets, header first, as `spreadsheet_bytes` takes them."""
    result: dict[str, list[list[object]]] = {}
    for year, quarter, force, csp, description, group, code, offences in rows():
        sheet = result.setdefault(year.replace("/", "_"), [HEADER])
        sheet.append([year, quarter, force, csp, description, group, group, code, offences])
    return result
