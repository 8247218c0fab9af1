"""How far an import has got, and whether the admin asked to stop it.

The import services report at chunk boundaries: `phase` when a step begins, `advance` as rows
are read or figures written, `checkpoint` where stopping is safe (between chunks, never inside
one). The command and direct calls use NO_PROGRESS, which does nothing; the worker passes a
progress that writes to the job the batch page polls (crime_stats/tasks.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

CSV_ROWS_ESTIMATE_PREFIX = b"PK\x03\x04"  # a zip archive (XLSX, ODS): its rows are not counted

Chunk = TypeVar("Chunk")


class ImportCancelled(Exception):
    """The admin cancelled the job; whatever it had begun is rolled back."""


class Progress:
    """Receives an import's progress; this base class ignores it (the command, the tests)."""

    def phase(self, name: str, *, total: int | None = None, unit: str = "rows") -> None:
        """Start a step named for the admin, of `total` units (None when not known)."""

    def advance(self, count: int) -> None:
        """Count `count` more units of the current step as done."""

    def checkpoint(self) -> None:
        """Raise ImportCancelled when the admin asked to stop; called between chunks."""

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Mark the span in which the import holds its write transaction open."""
        yield


NO_PROGRESS = Progress()


def estimate_rows(content: bytes) -> int | None:
    """Return about how many data rows a CSV file holds (its line breaks), None for spreadsheets.

    A quoted cell may hold a line break, so this is an estimate for a progress bar only.
    """
    if content.startswith(CSV_ROWS_ESTIMATE_PREFIX):
        return None
    return max(content.count(b"\n") - (1 if content.endswith(b"\n") else 0), 0) or None


def track_rows(chunks: Iterable[Chunk], progress: Progress) -> Iterator[Chunk]:
    """Yield each chunk of rows, counting it as read and checking for a cancel after it."""
    for chunk in chunks:
        yield chunk
        progress.advance(len(chunk))  # type: ignore[arg-type]
        progress.checkpoint()
