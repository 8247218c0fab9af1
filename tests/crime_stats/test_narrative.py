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
        "These figures were loaded as rates without offence counts, so no confidence interval "
        "can be given and no change can be tested against chance.",
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


def _two_periods(focus_now: str, focus_then: str, other_now: str, other_then: str) -> list[str]:
    comparison = compare(
        focus="X - A",
        members=[
            MemberRate("X - A", Decimal(focus_now), "A"),
            MemberRate("X - B", Decimal(other_now), "B"),
        ],
        previous=[
            MemberRate("X - A", Decimal(focus_then), "A"),
            MemberRate("X - B", Decimal(other_then), "B"),
        ],
    )
    return headline(comparison, period="P2", previous_period="P1", category="All crime")


def test_a_change_that_rounds_to_zero_reads_no_change_at_one_decimal_place():
    # Audit: a change of -0.04 printed "down 0.0".
    text = _two_periods("50.00", "50.04", "60", "66")
    assert text[0] == (
        "In P2, A recorded 50.0 crimes per 1,000 people (All crime): no change at one decimal "
        "place from 50.0 in P1."
    )
    assert "-0.0" not in " ".join(text) and "down 0.0" not in " ".join(text)


def test_no_above_or_below_verdict_when_both_changes_show_the_same():
    # A: +10.04%, the average: (55.02 + 66.02) / 2 against (50 + 60) / 2 = +10.036%: both
    # show as a rise of 10.0%, so neither is called better.
    text = _two_periods("55.02", "50", "66.02", "60")
    verdict = text[3]
    assert "was the same at one decimal place as the MSG average's" in verdict
    assert "better" not in verdict and "worse" not in verdict


def test_the_average_change_says_it_is_over_members_with_both_figures():
    comparison = compare(
        focus="X - A",
        members=[
            MemberRate("X - A", Decimal("11"), "A"),
            MemberRate("X - B", None, "B"),
            MemberRate("X - C", Decimal("22"), "C"),
        ],
        previous=[
            MemberRate("X - A", Decimal("10"), "A"),
            MemberRate("X - B", Decimal("40"), "B"),
            MemberRate("X - C", Decimal("20"), "C"),
        ],
    )
    text = headline(comparison, period="P2", previous_period="P1", category="All crime")
    assert (
        "the MSG average's over the 2 CSPs with a figure in both periods (a rise of 10.0%, "
        "from 15.0 to 16.5)" in text[3]
    )
