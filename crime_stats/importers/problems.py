"""What an import reports: one Problem per thing wrong with a file, where it is and the fix."""

from __future__ import annotations

from dataclasses import asdict, dataclass


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
