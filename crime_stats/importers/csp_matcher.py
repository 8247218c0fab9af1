"""Finding the portal's CSP that a file's row names: by ONS code, else by force, name and alias.

A row may give an ONS code (E22/W14), a police force, a CSP name, or several of them. The code
decides when there is one; a name that names a different CSP from the code is a problem with
the row, never a silent choice. Without a code, the CSP is found by `Force - CSP` label, by
force and name, or by name alone, each also under the Home Office's own spellings (aliases,
such as `Folkestone and Hythe` for the ONS's `Shepway`), ignoring case, repeated spaces and
`&`/`and`.

Some rows of a Home Office file are not CSPs at all: each force's `Unassigned <force>` (crimes
the force could not place in a CSP) and `Manchester Airport` (a Greater Manchester area with no
resident population and no ONS CSP code; it is in the CSP names of the Home Office's 2025/26
file, prc-csp-mar2021-mar2026-tables-230726.ods). They are recognised as such: counted and
reported, never matched to a CSP and never reported as an unknown CSP.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass

from crime_stats.models import CSP, LocalAuthority
from crime_stats.names import normalise_name

_UNASSIGNED = re.compile(r"\bunassigned\b", re.IGNORECASE)
# Areas the Home Office reports that are not CSPs, by normalised name, with why.
NOT_CSP_AREAS = {
    "manchester airport": "an area of Greater Manchester Police with no resident population "
    "and no ONS CSP code, so no rate per 1,000 can be made for it",
}
_CODE = re.compile(r"^(E22|W14)\d{6}$", re.IGNORECASE)


@dataclass(frozen=True)
class CSPMatch:
    """The outcome of matching one row's CSP cells: the CSP, or why none matched."""

    csp: CSP | None
    unknown: bool = False
    message: str = ""
    not_csp: str = ""  # why the row names an area that is not a CSP (`Unassigned Kent`)


def not_csp_reason(name: str) -> str:
    """Return why `name` is an area the Home Office reports that is not a CSP, or ''."""
    if _UNASSIGNED.search(name):
        return "crimes the force recorded without placing them in a CSP"
    return NOT_CSP_AREAS.get(normalise_name(name), "")


class CSPMatcher:
    """Finds the portal's CSPs by ONS code, or by label, force and name, or name, with aliases."""

    def __init__(self, csps: list[CSP] | None = None) -> None:
        self.csps = list(CSP.objects.prefetch_related("aliases")) if csps is None else csps
        self._by_key: dict[str, set[CSP]] = defaultdict(set)
        self._by_code: dict[str, CSP] = {}
        for csp in self.csps:
            aliases = [alias.name for alias in csp.aliases.all()] if csp.pk else []
            for key in csp.match_keys(aliases):
                self._by_key[key].add(csp)
            if csp.ons_code:
                self._by_code[csp.ons_code.lower()] = csp
        self._labels = {normalise_name(csp.label): csp for csp in self.csps}
        self._names = {normalise_name(csp.name): csp for csp in self.csps}

    def _by_name(self, name: str, force: str) -> tuple[CSP | None, str]:
        """Return the CSP a name (with its force) names, or None and why not ('' = unknown)."""
        candidates = []
        if force.strip() and name.strip():
            candidates.append(normalise_name(f"{force} - {name}"))
        if name.strip():
            candidates.append(normalise_name(name))
        for key in candidates:
            found = self._by_key.get(key, set())
            if len(found) == 1:
                return next(iter(found)), ""
            if len(found) > 1:
                labels = ", ".join(sorted(csp.label for csp in found))
                return None, (
                    f"{name!r} matches several CSPs ({labels}): "
                    "give the full `Force - CSP` label or the ONS code"
                )
        return None, ""

    def match(self, name: str, force: str = "", code: str = "") -> CSPMatch:
        """Return the CSP a row names: by its ONS code when it has one, else by name."""
        name, force, code = name.strip(), force.strip(), code.strip()
        if not code and _CODE.match(name):
            name, code = "", name  # an ONS code in the CSP column, as some tables give it
        reason = not_csp_reason(name) if name else ""
        if reason:
            return CSPMatch(None, not_csp=reason)
        if code:
            return self._match_code(name, force, code)
        csp, message = self._by_name(name, force)
        if csp is not None:
            return CSPMatch(csp)
        if message:
            return CSPMatch(None, message=message)
        if not name:
            return CSPMatch(None, message="the CSP is blank: name the CSP on every row")
        return CSPMatch(None, unknown=True, message=self.unknown_message(name, force))

    def _match_code(self, name: str, force: str, code: str) -> CSPMatch:
        by_code = self._by_code.get(code.lower())
        by_name, _ = self._by_name(name, force) if name else (None, "")
        if by_code is None:
            if not _CODE.match(code):
                return CSPMatch(
                    None,
                    message=f"{code!r} is not an ONS CSP code: a CSP code is E22 or W14 and six "
                    "digits, such as E22000168",
                )
            shown = f"{name!r} ({code})" if name else code
            return CSPMatch(
                None,
                unknown=True,
                message=f"{shown} is not a CSP in the portal: no CSP has the ONS code {code}; "
                "check the code, or confirm the import with the CSPs that are not in the "
                "portal skipped",
            )
        if by_name is not None and by_name != by_code:
            return CSPMatch(
                None,
                message=f"the ONS code {code} is {by_code.label} but the name {name!r} is "
                f"{by_name.label}: correct the code or the name so that both name one CSP",
            )
        return CSPMatch(by_code)

    def suggestion(self, name: str, force: str = "") -> str | None:
        """Return the label of the known CSP whose name is closest to `name`, if any is close."""
        text = normalise_name(f"{force} - {name}" if force else name)
        pool = self._labels if force else {**self._labels, **self._names}
        close = difflib.get_close_matches(text, list(pool), n=1, cutoff=0.75)
        return pool[close[0]].label if close else None

    def _districts(self) -> dict[str, set[str]]:
        """Return district name -> the labels of the CSPs it lies in (read once, when needed)."""
        if not hasattr(self, "_district_csps"):
            self._district_csps: dict[str, set[str]] = defaultdict(set)
            for lad in LocalAuthority.objects.select_related("csp"):
                self._district_csps[normalise_name(lad.name)].add(lad.csp.label)
        return self._district_csps

    def unknown_message(self, name: str, force: str = "") -> str:
        """Return the message for a CSP that is not in the portal, with the closest name."""
        shown = f"{force} - {name}" if force else name
        within = sorted(self._districts().get(normalise_name(name), set()))
        if within:
            return (
                f"{shown!r} is not a CSP in the portal: it is a district within "
                f"{' and '.join(repr(label) for label in within)}, which the ONS lookup and "
                "the portal hold as one CSP; load that CSP's figures, or confirm the import "
                "with the CSPs that are not in the portal skipped"
            )
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
