"""With counts and populations for every CSP and quarter (tests/national_data.py): intervals,
real change, position ranges, the funnel and the XmR chart on every page and export."""

import csv
import io
import json
import math
import re

import pytest
from openpyxl import load_workbook
from scipy import stats

from tests.national_data import build_national

pytestmark = pytest.mark.django_db
URL = "/comparison/"


@pytest.fixture
def latest(db):
    return build_national()[-1]


def byar_or_exact(offences: int, population: int) -> tuple[float, float]:
    """The PHE limits per 1,000, written out again here independently of the module."""
    z = 1.959963984540054
    if offences < 10:
        low = stats.chi2.ppf(0.025, 2 * offences) / 2 if offences else 0.0
        high = stats.chi2.ppf(0.975, 2 * offences + 2) / 2
    else:
        o = offences
        low = o * (1 - 1 / (9 * o) - z / (3 * math.sqrt(o))) ** 3
        high = (o + 1) * (1 - 1 / (9 * (o + 1)) + z / (3 * math.sqrt(o + 1))) ** 3
    return low / population * 1000, high / population * 1000


def test_every_row_has_its_interval_equal_to_an_independent_recomputation(
    client_for, chair, latest
):
    for category in ("All crime", "Robbery"):
        document = (
            client_for(chair)
            .get(URL, {"format": "json", "period": latest.slug, "category": category})
            .json()
        )
        for row in document["rows"]:
            low, high = byar_or_exact(row["offences"], row["population"])
            assert row["ci_lower"] == pytest.approx(low, abs=0.0006)
            assert row["ci_upper"] == pytest.approx(high, abs=0.0006)
            assert row["ci_lower"] < row["rate"] < row["ci_upper"]
            assert row["change_verdict"] in {"real rise", "real fall", "no significant change"}
            assert row["position_low"] <= row["position"] <= row["position_high"]


def test_the_table_and_the_chart_show_the_same_interval_strings(client_for, chair, latest):
    client = client_for(chair)
    document = client.get(URL, {"format": "json", "period": latest.slug}).json()
    focus = document["focus"]
    page = re.sub(r"\s+", " ", client.get(URL, {"period": latest.slug}).content.decode())
    interval = f"{focus['ci_lower']:.1f}–{focus['ci_upper']:.1f}"
    row = re.search(r"Leicestershire - Leicester <span.*?</tr>", page).group(0)
    assert interval in row and "real rise" in row
    start = page.index('id="ranked-chart-data" type="application/json">') + len(
        'id="ranked-chart-data" type="application/json">'
    )
    figure = json.loads(page[start : page.index("</script>", start)])
    hovers = figure["data"][0]["customdata"]
    assert any(f"95% interval {interval}" in hover for hover in hovers)


def test_the_focus_change_is_a_real_rise_in_cards_and_narrative(client_for, chair, latest):
    page = re.sub(r"\s+", " ", client_for(chair).get("/", {"period": latest.slug}).content.decode())
    assert "<strong>real rise</strong>" in page
    assert "a real rise: significant at the 95% level, not chance" in page
    assert "Allowing for chance:" in page
    assert re.search(r"Nationally: \d+(st|nd|rd|th) of 30 CSPs", page)


def test_the_funnel_lists_the_csps_outside_its_limits_and_states_its_method(
    client_for, chair, latest
):
    client = client_for(chair)
    page = client.get(URL, {"period": latest.slug}).content.decode()
    assert 'id="funnel-chart-outliers"' in page
    assert "widened for over-dispersion" in page
    document = client.get(URL, {"format": "json", "period": latest.slug}).json()
    funnel = document["national"]["funnel"]
    assert funnel["limits"] == "over-dispersed" and funnel["csps"] == 30
    for outlier in funnel["outside_99_8"]:
        assert outlier["csp"] in page
        assert not outlier["lower"] <= outlier["rate"] <= outlier["upper"]
    plain = client.get(URL, {"format": "json", "period": latest.slug, "funnel": "poisson"})
    # Chance alone cannot explain how much CSPs differ: far more fall outside.
    assert len(plain.json()["national"]["funnel"]["outside_99_8"]) > len(funnel["outside_99_8"])


def test_the_xmr_chart_flags_the_last_quarter_in_words(client_for, chair, latest):
    client = client_for(chair)
    for url in (URL, "/", "/board-pack/"):
        page = client.get(url, {"period": latest.slug}).content.decode()
        assert "is above the usual range" in page, url
        assert "above the upper process limit" in page, url
        assert 'id="spc-chart-table"' in page and 'id="funnel-chart-outliers"' in page, url


def test_csv_and_excel_carry_the_intervals(client_for, chair, latest):
    client = client_for(chair)
    document = client.get(URL, {"format": "json", "period": latest.slug}).json()
    response = client.get(URL, {"format": "csv", "period": latest.slug})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = rows[0]
    leicester = next(row for row in rows if row[0] == "Leicestershire - Leicester")
    assert float(leicester[header.index("95% CI lower")]) == document["focus"]["ci_lower"]
    assert leicester[header.index("Real change?")] == "real rise"
    sheet = load_workbook(
        io.BytesIO(client.get(URL, {"format": "xlsx", "period": latest.slug}).content)
    ).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    excel = next(row for row in values if row[0] == "Leicestershire - Leicester")
    assert excel[values[0].index("95% CI upper")] == document["focus"]["ci_upper"]


def test_a_category_of_small_rates_is_written_to_two_places_everywhere(client_for, chair, latest):
    # Robbery is about 0.4 per 1,000 a quarter: at one place every CSP would read 0.3 or 0.4.
    client = client_for(chair)
    query = {"period": latest.slug, "category": "Robbery"}
    document = client.get(URL, {**query, "format": "json"}).json()
    page = re.sub(r"\s+", " ", client.get(URL, query).content.decode())
    focus = next(line.row for line in client.get(URL, query).context["rows"] if line.row.is_focus)
    assert len(focus.shown_rate.partition(".")[2]) >= 2
    assert focus.shown_rate == f"{document['focus']['rate']:.{len(focus.shown_rate) - 2}f}"
    assert f"Leicester recorded {focus.shown_rate} crimes per 1,000" in page
    assert f'"{focus.shown_rate} (' in page  # the ranked chart's label, the same string
    assert "no change at two decimal places" in page or "no change at" not in page
    # The quarterly chart's table and the funnel's hover write the same figure the same way.
    assert f'{latest.label}</th><td class="text-end">{focus.shown_rate}</td>' in page
    assert f"Leicestershire - Leicester: {focus.shown_rate} per 1,000" in page
