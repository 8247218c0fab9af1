"""The financial-year rule every app shares (lib/financial_year.py), without the database."""

import datetime

import pytest

from lib.financial_year import (
    FinancialYearError,
    financial_year_bounds,
    financial_year_label,
    financial_year_of,
    parse_financial_year,
    within_one_financial_year,
)


def test_a_day_belongs_to_the_financial_year_starting_the_april_before_it():
    assert financial_year_of(datetime.date(2019, 3, 31)) == 2018
    assert financial_year_of(datetime.date(2019, 4, 1)) == 2019
    assert financial_year_label(2018) == "2018/19"
    assert financial_year_label(1999) == "1999/00"
    assert financial_year_bounds(2018) == (datetime.date(2018, 4, 1), datetime.date(2019, 4, 1))


@pytest.mark.parametrize("text", ["2018/19", "2018-19", "FY 2018/2019", " 2018/19 "])
def test_a_written_financial_year_reads_as_its_first_year(text):
    assert parse_financial_year(text) == 2018


@pytest.mark.parametrize("text", ["2018/20", "2018/2020", "April 2018", "", "nan"])
def test_anything_else_raises_and_says_how_to_write_one(text):
    with pytest.raises(FinancialYearError, match="write it as `2018/19`"):
        parse_financial_year(text)


def test_a_span_lies_within_one_april_to_march_year_or_not():
    assert within_one_financial_year(4, 3)
    assert within_one_financial_year(1, 3)
    assert not within_one_financial_year(1, 4)
