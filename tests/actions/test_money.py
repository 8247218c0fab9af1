from decimal import Decimal

from actions.templatetags.money import gbp


def test_pounds_with_separators_and_a_true_minus_for_overspend():
    assert gbp(Decimal("31250")) == "£31,250.00"
    assert gbp(Decimal("-0.01")) == "−£0.01"
    assert gbp(Decimal("1234.5"), 0) == "£1,235"
    assert gbp(None) == "–"
