"""The chart builders turn numbers into figures faithfully: pure functions, no database."""

from decimal import Decimal as D

from crime_stats.charts import BAND_SHADING, RankedBar, ranked_bar_chart, trend_chart

BARS = [
    RankedBar("West Midlands - Coventry", D("59.1"), 3, False, False),
    RankedBar("Lancashire - Blackpool", D("167.7"), 1, False, False),
    RankedBar("Leicestershire - Leicester", D("92.5"), 2, True, True),
    RankedBar("Staffordshire - Stoke-on-Trent", D("92.5"), 2, True, False),
]


def test_ranked_bars_are_highest_first_with_the_average_among_them_and_everything_labelled():
    figure = ranked_bar_chart(BARS, msg_average=D("103.0"), std_dev=D("39.6"), title="All crime")
    bar = figure["data"][0]
    assert list(bar["x"]) == [167.7, 103.0, 92.5, 92.5, 59.1]
    assert list(bar["y"]) == [
        "Lancashire - Blackpool",
        "MSG average",
        "▶ Leicestershire - Leicester (focus)",
        "Staffordshire - Stoke-on-Trent",
        "West Midlands - Coventry",
    ]
    assert list(bar["text"]) == [
        "167.7 (1st)",
        "103.0 (average)",
        "92.5 (joint 2nd)",
        "92.5 (joint 2nd)",
        "59.1 (3rd)",
    ]
    colours = list(bar["marker"]["color"])
    assert len({colours[0], colours[1], colours[2]}) == 3
    assert colours[0] == colours[3] == colours[4]
    assert all("<" not in label for label in bar["y"])  # no markup: the CSP refuses it


def test_ranked_bars_shade_the_band_and_state_its_method():
    figure = ranked_bar_chart(BARS, msg_average=D("103.0"), std_dev=D("39.6"), title="All crime")
    (band,) = figure["layout"]["shapes"]
    assert (band["x0"], band["x1"]) == (63.4, 142.6)
    assert figure["layout"]["title"]["subtitle"]["text"] == BAND_SHADING


def test_trend_chart_draws_the_focus_the_average_and_its_band():
    figure = trend_chart(
        ["Apr–Dec 2016", "Apr–Dec 2017"],
        [D("70.7"), D("84.6")],
        [D("75.7"), D("91.4")],
        [D("14.8"), D("19.6")],
        focus_label="Leicestershire - Leicester",
        title="Trend",
    )
    by_name = {trace["name"]: trace for trace in figure["data"]}
    assert list(by_name["Leicestershire - Leicester"]["y"]) == [70.7, 84.6]
    assert list(by_name["MSG average"]["y"]) == [75.7, 91.4]
    assert [round(v, 1) for v in by_name["Band (upper)"]["y"]] == [90.5, 111.0]
    assert [round(v, 1) for v in by_name["Band (lower)"]["y"]] == [60.9, 71.8]
    assert by_name["Band (lower)"]["fill"] == "tonexty"
    assert list(by_name["Leicestershire - Leicester"]["text"]) == ["70.7", "84.6"]
    assert figure["layout"]["title"]["subtitle"]["text"] == BAND_SHADING


def test_text_from_the_database_is_never_read_as_chart_markup():
    bars = [RankedBar('<a href="javascript:x">Evil</a> & Co', D("10"), 1, False, True)]
    figure = ranked_bar_chart(bars, msg_average=D("10"), std_dev=D("0"), title="<b>Robbery</b>")
    assert list(figure["data"][0]["y"]) == [
        '▶ &lt;a href="javascript:x"&gt;Evil&lt;/a&gt; &amp; Co (focus)',
        "MSG average",
    ]
    assert figure["layout"]["title"]["text"] == "&lt;b&gt;Robbery&lt;/b&gt;"


def test_labels_and_hovers_round_the_stored_decimal_half_up_like_the_table():
    # Audit: f"{x:.1f}" on the float 92.45 gives "92.5" but on 0.25 gives "0.2", and 92.05
    # stored as a binary float prints "92.0"; the table rounds the Decimal half up.
    bars = [
        RankedBar("A - A", D("92.050"), 1, False, True),
        RankedBar("A - B", D("0.250"), 2, False, False),
    ]
    figure = ranked_bar_chart(bars, msg_average=D("46.150"), std_dev=D("45.9"), title="T")
    bar = figure["data"][0]
    assert list(bar["text"]) == ["92.1 (1st)", "46.2 (average)", "0.3 (2nd)"]
    assert list(bar["customdata"])[0] == "92.1 crimes per 1,000"
    assert "%{x" not in bar["hovertemplate"]  # plotly's own d3 rounding is never used
    trend = trend_chart(
        ["P1", "P2"],
        [D("0.250"), D("92.050")],
        [D("0.350"), D("92.150")],
        [D("1"), D("1")],
        focus_label="A - A",
        title="T",
    )
    by_name = {trace["name"]: trace for trace in trend["data"]}
    assert list(by_name["A - A"]["text"]) == ["0.3", "92.1"]
    assert list(by_name["A - A"]["customdata"]) == ["0.3", "92.1"]
    assert list(by_name["MSG average"]["customdata"]) == ["0.4", "92.2"]
    assert "%{y" not in by_name["MSG average"]["hovertemplate"]


def test_a_bar_shows_the_tables_two_decimal_string_and_its_interval_whisker():
    bars = [
        RankedBar("A - A", D("92.540"), 1, False, True, "92.54", D("90.1"), D("94.9")),
        RankedBar("A - B", D("92.450"), 2, False, False, "92.45", D("90.0"), D("94.8")),
    ]
    figure = ranked_bar_chart(bars, msg_average=D("92.495"), std_dev=D("0.045"), title="T")
    bar = figure["data"][0]
    assert list(bar["text"]) == ["92.54 (1st)", "92.5 (average)", "92.45 (2nd)"]
    assert bar["customdata"][0] == "92.54 crimes per 1,000; 95% interval 90.1–94.9"
    assert [round(v, 3) for v in bar["error_x"]["array"]] == [2.36, 0.0, 2.35]
    assert [round(v, 3) for v in bar["error_x"]["arrayminus"]] == [2.44, 0.0, 2.45]
