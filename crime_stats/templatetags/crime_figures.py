"""Template filters that print changes the way the plan does: `+7.9`, `-7.5`, `+9.3%`."""

from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()


@register.filter
def signed(value: Decimal | None, suffix: str = "") -> str:
    """Return the change rounded half-up to one place with its sign (`+7.9`), `–` when None."""
    if value is None:
        return "–"
    rounded = Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    sign = "+" if rounded > 0 else ""
    return f"{sign}{rounded}{suffix}"


@register.filter
def magnitude(value: Decimal | None) -> str:
    """Return the size of a change, rounded half-up to one place, without its sign."""
    if value is None:
        return "–"
    return str(abs(Decimal(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


@register.filter
def note_numbers(notes: list[tuple[str, list[str]]] | None, label: str) -> list[int]:
    """Return the numbers (from 1) of the force notes that name the CSP labelled `label`."""
    return [number for number, (_text, labels) in enumerate(notes or [], 1) if label in labels]
