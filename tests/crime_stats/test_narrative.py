"""Headline sentences generated from the figures alone."""

from decimal import Decimal

from crime_stats.comparison import MemberRate, compare
from crime_stats.narrative import headline, ordinal
from tests.crime_stats.test_comparison_engine import plan_comparison


def sentences(year: str) -> list[str]:
    previous = f"April–December {int(year) - 1}" if year != "2016" else None
    return headline(
        plan_comparison(year),
        period=f"April–December {year}",
        previous_period=previous,
        category="All crime",
    )


def test_2018_headlines_state_rate_position_fewer_and_change_against_the_average():
    assert sentences("2018") == [
        "In April–December 2018, Leicester recorded 92.5 crimes per 1,000 people (All crime), "
        "up 7.9 (9.3%) from 84.6 in April–December 2017.",
        "Leicester was joint 10th of 15 (with Stoke-on-Trent), having been 11th in "
        "April–December 2017: a lower number, so a worse position. Position 1 is the highest "
        "rate in the group, so a higher position number is better: more of the group have more "
        "crimes per 1,000.",
        "4 CSPs had fewer crimes per 1,000 than Leicester: Coventry (59.1), Birmingham (73.3), "
        "Luton (77.7) and Liverpool (92.2).",
        "Leicester's change (a rise of 9.3%) was below the MSG average's (a rise of 11.1%, from "
        "91.4 to 101.5): better than the group as a whole, since a lower rate is better.",
        "Leicester's rate is in line with its group: within one standard deviation (25.5) of the "
        "MSG average (101.5).",
    ]


def test_a_higher_position_number_is_called_better():
    assert (
        "having been 9th in April–December 2016: a higher number, so a better position"
        in (sentences("2017")[1])
    )


def test_the_first_period_says_there_is_nothing_to_compare_with():
    first = sentences("2016")
    assert first[0].endswith("there is no earlier comparable period to compare with.")
    assert first[1].startswith("Leicester was 9th of 15. Position 1")
    assert not any("MSG average's" in sentence for sentence in first)


def test_a_missing_member_is_named_in_the_headlines():
    comparison = compare(
        focus="X - A",
        members=[
            MemberRate("X - A", Decimal("10"), "A"),
            MemberRate("X - B", None, "B"),
            MemberRate("X - C", Decimal("30"), "C"),
        ],
    )
    text = headline(comparison, period="P", previous_period=None, category="All crime")
    assert text[-1] == (
        "B has no figure for this period, so the average, spread and positions are worked out "
        "on the other 2 CSPs."
    )
    assert text[2] == "No CSP in the group had fewer crimes per 1,000 than A."


def test_a_focus_without_a_figure_says_so():
    comparison = compare(focus="X - A", members=[MemberRate("X - A", None, "A")])
    text = headline(comparison, period="P", previous_period=None, category="Robbery")
    assert text[0] == "There is no Robbery figure for A in P."


def test_ordinals():
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 103)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "103rd"
    ]  # fmt: skip
