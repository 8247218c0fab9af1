"""The pure engine pinned on the plan's table (fixtures/seed) and on the awkward cases."""

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from crime_stats.comparison import (
    ABOVE,
    BELOW,
    IN_LINE,
    MemberRate,
    band,
    compare,
    msg_average,
    positions,
    standard_deviation,
)

PLAN_TABLE = Path(__file__).parents[2] / "fixtures/seed/msg_crimes_per_1000_apr_dec_2016_2018.csv"
LEICESTER = "Leicestershire - Leicester"


def plan_members(year: str) -> list[MemberRate]:
    with PLAN_TABLE.open(encoding="utf-8") as table:
        return [
            MemberRate(row["CSP"], Decimal(row[year]), row["CSP"].split(" - ", 1)[1])
            for row in csv.DictReader(table)
        ]


def plan_comparison(year: str):
    previous = str(int(year) - 1)
    return compare(
        focus=LEICESTER,
        members=plan_members(year),
        previous=plan_members(previous) if previous != "2015" else None,
    )


def by_name(comparison) -> dict:
    return {row.name: row for row in comparison.rows}


# Positions as the stored figures give them (1 = highest rate; ties share the best place).
POSITIONS = {
    "2016": {
        "Blackpool": 1, "Manchester": 2, "Kingston upon Hull, City of": 3, "Middlesbrough": 4,
        "Newcastle upon Tyne": 5, "Stoke-on-Trent": 6, "Liverpool": 7, "Nottingham": 8,
        "Leicester": 9, "Lincoln": 10, "Bolton": 11, "Luton": 12, "Salford": 12,
        "Birmingham": 14, "Coventry": 15,
    },
    "2017": {
        "Manchester": 1, "Blackpool": 2, "Newcastle upon Tyne": 3, "Middlesbrough": 4,
        "Kingston upon Hull, City of": 4, "Bolton": 6, "Nottingham": 7, "Salford": 8,
        "Stoke-on-Trent": 9, "Liverpool": 10, "Leicester": 11, "Lincoln": 12, "Birmingham": 13,
        "Luton": 14, "Coventry": 15,
    },
    "2018": {
        "Blackpool": 1, "Manchester": 2, "Kingston upon Hull, City of": 3, "Middlesbrough": 4,
        "Newcastle upon Tyne": 5, "Nottingham": 6, "Bolton": 7, "Salford": 8, "Lincoln": 9,
        "Leicester": 10, "Stoke-on-Trent": 10, "Liverpool": 12, "Luton": 13, "Birmingham": 14,
        "Coventry": 15,
    },
}  # fmt: skip
JOINT = {"2016": {"Luton", "Salford"}, "2017": {"Middlesbrough", "Kingston upon Hull, City of"},
         "2018": {"Leicester", "Stoke-on-Trent"}}  # fmt: skip
BANDS = {
    "2016": ({"Blackpool", "Manchester", "Kingston upon Hull, City of"},
             {"Luton", "Salford", "Birmingham", "Coventry"}),
    "2017": ({"Manchester", "Blackpool"}, {"Birmingham", "Luton", "Coventry"}),
    "2018": ({"Blackpool", "Manchester"}, {"Birmingham", "Coventry"}),
}  # fmt: skip
CHANGES = {
    "2017": {
        "Manchester": "37.9", "Blackpool": "18.1", "Newcastle upon Tyne": "19.7",
        "Middlesbrough": "12.6", "Kingston upon Hull, City of": "10.8", "Bolton": "30.1",
        "Nottingham": "16.2", "Salford": "29.7", "Stoke-on-Trent": "8.7", "Liverpool": "10.0",
        "Leicester": "13.9", "Lincoln": "10.7", "Birmingham": "6.9", "Luton": "4.2",
        "Coventry": "4.9",
    },
    "2018": {
        "Blackpool": "49.8", "Manchester": "-7.5", "Kingston upon Hull, City of": "20.0",
        "Middlesbrough": "19.6", "Newcastle upon Tyne": "5.8", "Nottingham": "8.9",
        "Bolton": "-1.4", "Salford": "2.9", "Lincoln": "13.0", "Leicester": "7.9",
        "Stoke-on-Trent": "3.5", "Liverpool": "5.4", "Luton": "12.8", "Birmingham": "6.2",
        "Coventry": "4.8",
    },
}  # fmt: skip


@pytest.mark.parametrize(
    ("year", "total", "printed"),
    [("2016", "1136.0", "75.7"), ("2017", "1370.4", "91.4"), ("2018", "1522.1", "101.5")],
)
def test_msg_average_is_the_mean_of_all_fifteen_rates_as_the_plan_prints(year, total, printed):
    comparison = plan_comparison(year)
    assert comparison.msg_average == Decimal(total) / 15
    assert comparison.msg_average.quantize(Decimal("0.1")) == Decimal(printed)


@pytest.mark.parametrize("year", ["2016", "2017", "2018"])
def test_every_position_and_tie_on_the_plans_table(year):
    rows = by_name(plan_comparison(year))
    assert {name: row.position for name, row in rows.items()} == POSITIONS[year]
    assert {name for name, row in rows.items() if row.joint} == JOINT[year]


@pytest.mark.parametrize("year", ["2016", "2017", "2018"])
def test_every_band_on_the_plans_table(year):
    rows = by_name(plan_comparison(year))
    above, below = BANDS[year]
    assert {name for name, row in rows.items() if row.band == ABOVE} == above
    assert {name for name, row in rows.items() if row.band == BELOW} == below
    assert {name for name, row in rows.items() if row.band == IN_LINE} == (
        set(rows) - above - below
    )


@pytest.mark.parametrize("year", ["2017", "2018"])
def test_every_change_on_the_plans_table(year):
    rows = by_name(plan_comparison(year))
    assert {name: row.change for name, row in rows.items()} == {
        name: Decimal(value) for name, value in CHANGES[year].items()
    }
    for row in rows.values():
        assert row.change_pct == row.change / row.previous_rate * 100


def test_leicester_percentage_changes_and_the_msg_average_change():
    c2017, c2018 = plan_comparison("2017"), plan_comparison("2018")
    assert by_name(c2017)["Leicester"].change_pct.quantize(Decimal("0.01")) == Decimal("19.66")
    assert by_name(c2018)["Leicester"].change_pct.quantize(Decimal("0.01")) == Decimal("9.34")
    assert by_name(c2018)["Manchester"].change_pct.quantize(Decimal("0.01")) == Decimal("-5.47")
    assert c2018.msg_average_change == Decimal("1522.1") / 15 - Decimal("1370.4") / 15
    assert c2018.msg_average_change_pct.quantize(Decimal("0.01")) == Decimal("11.07")
    assert c2017.msg_average_change_pct.quantize(Decimal("0.01")) == Decimal("20.63")


def test_leicester_was_11th_in_2017_and_joint_10th_with_stoke_in_2018():
    c2018 = plan_comparison("2018")
    leicester = c2018.focus_row
    assert (leicester.position, leicester.joint) == (10, True)
    assert [row.name for row in c2018.joint_with(LEICESTER)] == ["Stoke-on-Trent"]
    assert (c2018.previous_position, c2018.previous_joint) == (11, False)
    assert plan_comparison("2017").previous_position == 9


def test_csps_with_fewer_crimes_than_leicester_exclude_the_tie():
    names = [row.name for row in plan_comparison("2018").fewer_than_focus]
    assert names == ["Coventry", "Birmingham", "Luton", "Liverpool"]


def test_spread_is_the_population_standard_deviation():
    comparison = plan_comparison("2018")
    rates = [m.rate for m in plan_members("2018")]
    mean = sum(rates) / 15
    assert comparison.std_dev == (sum((r - mean) ** 2 for r in rates) / 15).sqrt()
    assert comparison.std_dev.quantize(Decimal("0.01")) == Decimal("25.45")


def test_the_first_period_has_no_changes():
    comparison = plan_comparison("2016")
    assert not comparison.has_previous
    assert comparison.previous_position is None
    assert comparison.msg_average_change is None and comparison.msg_average_change_pct is None
    assert all(row.change is None and row.change_pct is None for row in comparison.rows)


def test_ties_share_the_best_position_and_the_next_skips():
    rates = {"A": Decimal("9"), "B": Decimal("7.5"), "C": Decimal("7.50"), "D": Decimal("7.4")}
    assert positions(rates) == {"A": 1, "B": 2, "C": 2, "D": 4}


def test_ties_are_decided_on_the_stored_values_not_the_rounded_ones():
    rates = {"A": Decimal("92.51"), "B": Decimal("92.49")}
    assert positions(rates) == {"A": 1, "B": 2}


def test_a_group_of_one_is_its_own_average_and_in_line():
    comparison = compare(focus="X - A", members=[MemberRate("X - A", Decimal("50"))])
    row = comparison.focus_row
    assert (comparison.msg_average, comparison.std_dev) == (Decimal("50"), Decimal("0"))
    assert (row.position, row.joint, row.band) == (1, False, IN_LINE)
    assert comparison.fewer_than_focus == []


def test_a_missing_member_is_named_flagged_and_left_out_of_every_figure():
    members = [
        MemberRate("X - A", Decimal("10")),
        MemberRate("X - B", None),
        MemberRate("X - C", Decimal("30")),
    ]
    comparison = compare(focus="X - A", members=members)
    assert comparison.missing == ["X - B"]
    assert comparison.msg_average == Decimal("20")
    assert comparison.std_dev == Decimal("10")
    missing = by_name(comparison)["X - B"]
    assert missing.missing and missing.position is None and missing.band is None
    assert [row.csp for row in comparison.rows] == ["X - C", "X - A", "X - B"]
    assert comparison.focus_row.position == 2


def test_band_is_strictly_more_than_one_standard_deviation():
    assert band(Decimal("11"), Decimal("10"), Decimal("1")) == IN_LINE
    assert band(Decimal("11.001"), Decimal("10"), Decimal("1")) == ABOVE
    assert band(Decimal("8.9"), Decimal("10"), Decimal("1")) == BELOW


def test_a_csp_that_joined_keeps_its_own_change_but_not_the_previous_average():
    before = [MemberRate("X - A", Decimal("10")), MemberRate("X - B", Decimal("20"))]
    now = [MemberRate("X - A", Decimal("12")), MemberRate("X - C", Decimal("33"))]
    comparison = compare(
        focus="X - A", members=now, previous=before, previous_rates={"X - C": Decimal("30")}
    )
    rows = by_name(comparison)
    assert rows["X - C"].change == Decimal("3")
    assert comparison.previous_msg_average == Decimal("15")
    assert comparison.msg_average == Decimal("22.5")
    # Only A was a member with a figure in both periods: the average's change is A's.
    assert comparison.msg_average_change == Decimal("2")
    assert comparison.matched_count == 1 and comparison.change_is_like_for_like


def test_the_average_change_leaves_out_a_member_missing_in_one_period():
    # Audit: with B missing now, the old change compared an average of 3 with one of 2.
    before = [
        MemberRate("X - A", Decimal("10")),
        MemberRate("X - B", Decimal("40")),
        MemberRate("X - C", Decimal("20")),
    ]
    now = [
        MemberRate("X - A", Decimal("11")),
        MemberRate("X - B", None),
        MemberRate("X - C", Decimal("21")),
    ]
    comparison = compare(focus="X - A", members=now, previous=before)
    assert comparison.msg_average == Decimal("16")
    assert comparison.previous_msg_average == Decimal("70") / 3
    assert comparison.matched_previous_average == Decimal("15")
    assert comparison.matched_average == Decimal("16")
    assert comparison.msg_average_change == Decimal("1")
    assert comparison.msg_average_change_pct.quantize(Decimal("0.001")) == Decimal("6.667")
    assert comparison.matched_count == 2 and comparison.change_is_like_for_like


def test_the_average_change_is_the_plain_one_when_every_member_has_both_figures():
    before = [MemberRate("X - A", Decimal("10")), MemberRate("X - B", Decimal("20"))]
    now = [MemberRate("X - A", Decimal("12")), MemberRate("X - B", Decimal("22"))]
    comparison = compare(focus="X - A", members=now, previous=before)
    assert comparison.msg_average_change == Decimal("2")
    assert not comparison.change_is_like_for_like


def test_rates_that_show_the_same_but_rank_apart_are_shown_to_two_decimals():
    # Audit: 92.540 and 92.450 both show as 92.5 but hold 1st and 2nd.
    members = [
        MemberRate("X - A", Decimal("92.540")),
        MemberRate("X - B", Decimal("92.450")),
        MemberRate("X - C", Decimal("92.500")),
        MemberRate("X - D", Decimal("80.000")),
    ]
    rows = by_name(compare(focus="X - A", members=members))
    assert [rows[c].shown_rate for c in ("X - A", "X - C", "X - B", "X - D")] == [
        "92.54",
        "92.50",
        "92.45",
        "80.0",
    ]


def test_a_true_tie_keeps_one_decimal():
    members = [MemberRate("X - A", Decimal("92.5")), MemberRate("X - B", Decimal("92.5"))]
    comparison = compare(focus="X - A", members=members)
    assert {row.shown_rate for row in comparison.rows} == {"92.5"}
    assert not comparison.shows_finer_rates


def test_empty_inputs_give_no_average():
    assert msg_average([]) is None and standard_deviation([]) is None
    assert compare(focus="X - A", members=[]).focus_row is None


def test_a_zero_previous_rate_has_no_percentage_change():
    comparison = compare(
        focus="X - A",
        members=[MemberRate("X - A", Decimal("5"))],
        previous=[MemberRate("X - A", Decimal("0"))],
    )
    assert (comparison.focus_row.change, comparison.focus_row.change_pct) == (Decimal("5"), None)
