"""The chart builders turn numbers into figures faithfully: pure functions, no database."""

from crime_stats.charts import BAND_SHADING, RankedBar, ranked_bar_chart, trend_chart

BARS = [
    RankedBar("West Midlands - Coventry", 59.1, 3, False, False),
    RankedBar("Lancashire - Blackpool", 167.7, 1, False, False),
    RankedBar("Leicestershire - Leicester", 92.5, 2, True, True),
    RankedBar("Staffordshire - Stoke-on-Trent", 92.5, 2, True, False),
]


def test_ranked_bars_are_highest_first_with_the_average_among_them_and_everything_labelled():
    figure = ranked_bar_chart(BARS, msg_average=103.0, std_dev=39.6, title="All crime")
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
    figure = ranked_bar_chart(BARS, msg_average=103.0, std_dev=39.6, title="All crime")
    (band,) = figure["layout"]["shapes"]
    assert (band["x0"], band["x1"]) == (103.0 - 39.6, 103.0 + 39.6)
    assert figure["layout"]["title"]["subtitle"]["text"] == BAND_SHADING


def test_trend_chart_draws_the_focus_the_average_and_its_band():
    figure = trend_chart(
        ["Apr–Dec 2016", "Apr–Dec 2017"],
        [70.7, 84.6],
        [75.7, 91.4],
        [14.8, 19.6],
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
    bars = [RankedBar('<a href="javascript:x">Evil</a> & Co', 10.0, 1, False, True)]
    figure = ranked_bar_chart(bars, msg_average=10.0, std_dev=0.0, title="<b>Robbery</b>")
    assert list(figure["data"][0]["y"]) == [
        '▶ &lt;a href="javascript:x"&gt;Evil&lt;/a&gt; &amp; Co (focus)',
        "MSG average",
    ]
    assert figure["layout"]["title"]["text"] == "&lt;b&gt;Robbery&lt;/b&gt;"
