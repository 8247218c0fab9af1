"""How CSP names are compared: the Home Office, the ONS and the plan spell them differently."""

import re

_AND = re.compile(r"\s*&\s*|\s+and\s+", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


def normalise_name(text: str) -> str:
    """Return `text` lower-cased with `&`/`and` unified and repeated spaces folded."""
    folded = _AND.sub(" and ", text.strip())
    return _SPACES.sub(" ", folded).lower()
