"""What the preview says about national data: areas that are not CSPs, which population
estimate each year's rates used, the publication's notes, and implausible revisions.

`plan_summary` adds `national_summary(plan)` to the preview it keeps; `save_publication_notes`
keeps the file's Notes sheet with its batch (shown on the batch's page and, for the CSPs a
force note names, beside their figures on the comparison table).
"""

from __future__ import annotations

import re
from decimal import Decimal

from crime_stats.importers.notes import PublicationNotes
from crime_stats.importers.pipeline import ImportPlan
from crime_stats.models import CSP, CSPAlias, ForceNote, ImportBatch
from crime_stats.models import PublicationNotes as StoredNotes
from crime_stats.names import normalise_name

# A revised rate is implausible when it more than doubles or falls below half the stored one.
IMPLAUSIBLE_RATIO = Decimal(2)
IMPLAUSIBLE_LIMIT = 500  # rows kept for the page; the count is always exact
_YEAR_ENDING = re.compile(r"year ending march (\d{4})", re.IGNORECASE)
_PUNCTUATION = re.compile(r"[^\w&' -]+")
_FROM_YEAR = re.compile(r"from (?:april )?(\d{4})(?:/\d{2})? onwards", re.IGNORECASE)


def implausible_revisions(plan: ImportPlan) -> list[dict]:
    """Return the revisions whose rate more than doubles or halves against the stored rate."""
    rows = []
    ordered = sorted(
        plan.updated, key=lambda pair: (pair[1].period, pair[1].category, pair[1].csp.label)
    )
    for current, figure in ordered:
        old, new = current.rate, figure.rate
        if old <= 0:
            jump = new > 0
        else:
            jump = new > old * IMPLAUSIBLE_RATIO or new * IMPLAUSIBLE_RATIO < old
        if jump:
            rows.append(
                {
                    "csp": figure.csp.label,
                    "period": figure.period.label,
                    "category": figure.category,
                    "old": str(old),
                    "new": str(new),
                    "ratio": f"{new / old:.2f}" if old > 0 else "new",
                }
            )
    return rows


def note_years(text: str) -> tuple[int | None, int | None]:
    """Return the first and last financial years (2024 = 2024/25) a force note covers.

    "for the year ending March 2025" is 2024/25 alone; "from 2024 onwards" starts with the
    financial year that holds January 2024 (2023/24) and is open-ended; otherwise every year.
    """
    if match := _YEAR_ENDING.search(text):
        year = int(match[1]) - 1
        return year, year
    if match := _FROM_YEAR.search(text):
        return int(match[1]) - 1, None
    return None, None


def csps_named(text: str, csps: list[CSP], aliases: dict[int, list[str]]) -> list[CSP]:
    """Return the CSPs a note names, within the police forces it names (if it names any)."""
    padded = " " + normalise_name(_PUNCTUATION.sub(" ", text)) + " "
    forces = {csp.force for csp in csps if f" {normalise_name(csp.force)} " in padded}
    named = []
    for csp in csps:
        if forces and csp.force not in forces:
            continue
        names = [csp.name, *aliases.get(csp.pk, [])]
        if any(f" {normalise_name(name)} " in padded for name in names):
            named.append(csp)
    return named


def _notes_of(plan: ImportPlan) -> PublicationNotes | None:
    return getattr(plan.parsed, "publication_notes", None)


def force_note_rows(notes: PublicationNotes) -> list[dict]:
    """Return each force note with the CSPs it names and the years it covers, as plain data."""
    csps = list(CSP.objects.all())
    aliases: dict[int, list[str]] = {}
    for alias in CSPAlias.objects.all():
        aliases.setdefault(alias.csp_id, []).append(alias.name)
    rows = []
    for text in notes.force_notes:
        first, last = note_years(text)
        named = csps_named(text, csps, aliases)
        rows.append(
            {
                "text": text,
                "csps": [csp.label for csp in named],
                "csp_ids": [csp.pk for csp in named],
                "first_year": first,
                "last_year": last,
            }
        )
    return rows


def national_summary(plan: ImportPlan) -> dict:
    """Return the preview's national sections as plain data."""
    parsed = plan.parsed
    notes = _notes_of(plan)
    implausible = implausible_revisions(plan)
    return {
        "outside_csps": [
            {"name": name, **totals} for name, totals in sorted(parsed.outside_csps.items())
        ],
        "population_sources": parsed.population_sources,
        "population_fallback": any(row["fallback"] for row in parsed.population_sources),
        "implausible": implausible[:IMPLAUSIBLE_LIMIT],
        "implausible_total": len(implausible),
        "publication": None
        if notes is None
        else {
            "title": notes.title,
            "updated": notes.updated.isoformat() if notes.updated else None,
            "force_notes": force_note_rows(notes),
            "additional_notes": list(notes.additional_notes),
        },
    }


def save_publication_notes(batch: ImportBatch, plan: ImportPlan) -> None:
    """Keep the file's Notes sheet with `batch`: title, updated date, and each force note
    with the CSPs it names and the financial years it covers."""
    notes = _notes_of(plan)
    if notes is None:
        return
    publication, _ = StoredNotes.objects.update_or_create(
        batch=batch,
        defaults={
            "title": notes.title[:500],
            "updated": notes.updated,
            "additional_notes": list(notes.additional_notes),
        },
    )
    publication.force_notes.all().delete()
    for row in force_note_rows(notes):
        note = ForceNote.objects.create(
            publication=publication,
            text=row["text"],
            first_year=row["first_year"],
            last_year=row["last_year"],
        )
        note.csps.set(row["csp_ids"])
