"""Template filters that print figures the way the plan does (`92.5`, `+7.9`, `-7.5`, `+9.3%`),
through crime_stats.display so that a page and its charts write every number the same way."""

from decimal import Decimal

from django import template

from crime_stats import display

register = template.Library()


@register.filter
def shown(value: Decimal | None) -> str:
    """Return the value rounded half-up to one place (`92.5`), `–` when None."""
    return display.shown(value)


@register.filter
def signed(value: Decimal | None, suffix: str = "") -> str:
    """Return the change rounded half-up to one place with its sign (`+7.9`), `–` when None,
    and "no change at one decimal place" when it rounds to zero."""
    return display.signed(value, suffix)


@register.filter
def magnitude(value: Decimal | None) -> str:
    """Return the size of a change, rounded half-up to one place, without its sign."""
    return display.magnitude(value)
