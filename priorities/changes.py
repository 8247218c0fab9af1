"""What a refresh of the plan changed, priority by priority: pure functions, no database."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Literal

Op = Literal["equal", "insert", "delete"]


@dataclass(frozen=True)
class Segment:
    """A run of wording that is unchanged, added or removed."""

    op: Op
    text: str


@dataclass(frozen=True)
class PriorityChange:
    """How one priority letter differs between two plan versions."""

    letter: str
    before: str | None
    after: str | None
    segments: list[Segment] = field(default_factory=list)
    focus_added: list[str] = field(default_factory=list)
    focus_removed: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        """Return `added`, `removed`, `reworded` or `unchanged`."""
        if self.before is None:
            return "added"
        if self.after is None:
            return "removed"
        if self.before != self.after or self.focus_added or self.focus_removed:
            return "reworded"
        return "unchanged"


def wording_diff(before: str, after: str) -> list[Segment]:
    """Return the word-level differences that turn `before` into `after` (words space-joined)."""
    old, new = before.split(), after.split()
    segments: list[Segment] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append(Segment("equal", " ".join(old[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            segments.append(Segment("delete", " ".join(old[i1:i2])))
        if tag in ("insert", "replace"):
            segments.append(Segment("insert", " ".join(new[j1:j2])))
    return segments


def compare_priorities(
    before: dict[str, tuple[str, list[str]]], after: dict[str, tuple[str, list[str]]]
) -> list[PriorityChange]:
    """Return one change per letter in either version, from letter -> (wording, focus areas)."""
    changes = []
    for letter in sorted(before.keys() | after.keys()):
        old, new = before.get(letter), after.get(letter)
        if old is None or new is None:
            changes.append(PriorityChange(letter, old and old[0], new and new[0]))
            continue
        changes.append(
            PriorityChange(
                letter,
                old[0],
                new[0],
                segments=wording_diff(old[0], new[0]),
                focus_added=[area for area in new[1] if area not in old[1]],
                focus_removed=[area for area in old[1] if area not in new[1]],
            )
        )
    return changes
