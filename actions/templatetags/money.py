"""Money as the partnership writes it: `£31,250.00`, and `−£0.01` when a balance is negative."""

from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()


@register.filter
def gbp(value: Decimal | int | None, places: int = 2) -> str:
    """Return the amount in pounds with thousands separators; `–` when there is none."""
    if value is None:
        return "–"
    amount = Decimal(value).quantize(Decimal(1).scaleb(-int(places)), rounding=ROUND_HALF_UP)
    sign = "−" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.{int(places)}f}"
