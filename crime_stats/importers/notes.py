"""Sheets that are not tables of figures, and the publication's Notes sheet read as notes.

The Home Office's open data tables open with a `Notes` sheet: a title, `Updated: <date>`, a
`Force Notes` section (for example "Offences in Folkestone and Hythe were recorded under
Unassigned Kent for the year ending March 2026") and an `Additional Notes` section. Other
publications open with a Cover or Contents sheet. None of these is data; they are listed on the
preview as such, and the Notes are kept for the batch.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from crime_stats.importers.readers import Sheet
from crime_stats.names import normalise_name

# Names of sheets that are about the data, not data (compared as CSP names are).
NOT_DATA_NAMES = {
    "notes", "note", "cover", "cover sheet", "contents", "table of contents", "metadata",
    "information", "info", "readme", "read me", "about", "introduction", "definitions",
    "glossary", "methodology", "quality", "notes and definitions", "changes", "revisions",
}  # fmt: skip
MAX_NOTE_LINES = 500  # a Notes sheet has dozens; more is not read
UPDATED = re.compile(r"^\s*(?:last\s+)?updated\s*:?\s*(.*)$", re.IGNORECASE)
DATE_FORMATS = ("%d %B %Y", "%d %b %Y", "%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")
FORCE_NOTES, ADDITIONAL_NOTES = "force notes", "additional notes"


@dataclass
class PublicationNotes:
    """What the publication's Notes sheet says: title, when it was updated, its notes."""

    title: str
    updated: datetime.date | None
    force_notes: list[str] = field(default_factory=list)
    additional_notes: list[str] = field(default_factory=list)
    sheet: str = "Notes"

    def as_dict(self) -> dict:
        """Return the notes as JSON can store them (the date as `2026-07-23`)."""
        return {
            "title": self.title,
            "updated": self.updated.isoformat() if self.updated else None,
            "force_notes": self.force_notes,
            "additional_notes": self.additional_notes,
            "sheet": self.sheet,
        }


def is_not_data(sheet: Sheet) -> bool:
    """Return True for a sheet named as notes/cover/contents or headed by a lone title cell.

    Call it only for a sheet whose header row fits no layout: a table of figures has a header
    row of several headings, a notes or cover sheet a title.
    """
    filled = [cell for cell in sheet.header if cell]
    return normalise_name(sheet.name.replace("_", " ")) in NOT_DATA_NAMES or len(filled) < 2


def sheet_lines(sheet: Sheet) -> list[str]:
    """Return the sheet's rows as lines of text (filled cells joined by a space), header first."""
    lines = [" ".join(cell for cell in sheet.header if cell)]
    for chunk in sheet.chunks:
        for values in chunk.itertuples(index=False):
            lines.append(" ".join(str(cell) for cell in values if cell))
            if len(lines) >= MAX_NOTE_LINES:
                return lines
    return lines


def parse_date(text: str) -> datetime.date | None:
    """Return the date in `23 July 2026`, `23/07/2026` or `2026-07-23`, else None."""
    text = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text.strip().rstrip("."))
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def parse_notes(name: str, lines: list[str]) -> PublicationNotes | None:
    """Return the notes of a Notes sheet's lines, or None when it has no `Updated:` line
    and no Force or Additional Notes section (a cover or contents sheet)."""
    lines = [line.strip() for line in lines if line.strip()]
    if not lines:
        return None
    notes = PublicationNotes(title=lines[0], updated=None, sheet=name)
    section: list[str] | None = None
    recognised = False
    for line in lines[1:]:
        heading = normalise_name(line.rstrip(":"))
        if heading == FORCE_NOTES:
            section, recognised = notes.force_notes, True
        elif heading == ADDITIONAL_NOTES:
            section, recognised = notes.additional_notes, True
        elif (updated := UPDATED.match(line)) and notes.updated is None:
            notes.updated, recognised = parse_date(updated.group(1)), True
        else:
            (section if section is not None else notes.additional_notes).append(line)
    return notes if recognised else None
