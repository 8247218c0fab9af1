"""How an import finds the portal's CSPs: by full label, name alone or ONS code (DESIGN.md).

CSP names are compared ignoring case, repeated spaces and `&`/`and`; an unknown name gets the
closest known label as a suggestion.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass

from crime_stats.models import CSP
from crime_stats.names import normalise_name


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
