"""Typed readers for the environment variables that configure the portal.

Each reader rejects values it does not understand, so a typo in production
(`DJANGO_DEBUG=yes`) stops the portal instead of silently meaning something else.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "True"}
_FALSE = {"0", "false", "False", ""}


def env_bool(name: str, default: bool) -> bool:
    """Return the boolean in `name`: `1`/`true` or `0`/`false`; anything else is an error."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0 (true or false), not {raw!r}.")


def env_str(name: str, default: str = "") -> str:
    """Return the string in `name`, stripped, or `default` when unset."""
    return os.environ.get(name, default).strip()


def env_int(name: str, default: int) -> int:
    """Return the whole number in `name`, or `default` when unset."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    """Return the comma-separated list in `name`, without blanks."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    """Return the value in `name` when it is one of `choices`; anything else is an error."""
    raw = env_str(name, default)
    if raw not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {raw!r}.")
    return raw
