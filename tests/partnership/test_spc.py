"""The XmR chart's limits and signals, against values worked by hand."""

from decimal import Decimal

from partnership.spc import process_limits


def d(*numbers: str) -> list[Decimal]:
    return [Decimal(n) for n in numbers]


def test_fewer_than_six_values_give_no_limits():
    assert process_limits(d("1", "2", "3", "4", "5")) is None


def test_limits_are_the_mean_plus_or_minus_2_66_average_moving_ranges():
    # Mean 12; moving ranges 2, 2, 2, 2, 4 → average 2.4; limits 12 ± 2.66 × 2.4 = 12 ± 6.384.
    limits = process_limits(d("10", "12", "14", "12", "10", "14"))
    assert limits.centre == Decimal("12")
    assert (limits.lower, limits.upper) == (Decimal("5.616"), Decimal("18.384"))
    assert limits.outside == [] and limits.runs == []


def test_a_value_beyond_the_limits_is_a_signal():
    values = d("10", "10", "10", "10", "10", "10", "10", "30")
    limits = process_limits(values)
    # Mean 12.5; moving ranges 0×6 and 20 → average 20/7; upper 12.5 + 2.66×20/7 = 20.1.
    assert round(limits.upper, 2) == Decimal("20.10")
    assert limits.outside == [7]


def test_a_run_of_eight_on_one_side_is_a_signal():
    values = d(*(["1"] * 8), *(["3"] * 4))  # mean 1.67: eight below, then four above
    limits = process_limits(values)
    assert limits.runs == [(0, 7)]
