"""Audit: every page writes a figure the same way, and says what is missing when it is."""

import re
from decimal import Decimal

import pytest

from crime_stats.models import CSP, CrimeFigure, ReportingPeriod

pytestmark = pytest.mark.django_db


def _leicester_figure(slug: str) -> CrimeFigure:
    return CrimeFigure.objects.get(
        csp=CSP.objects.get(name="Leicester"), period=ReportingPeriod.objects.get(slug=slug)
    )


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_a_change_of_minus_0_04_reads_no_change_on_the_table_and_the_cards(client_for, chair):
    before = _leicester_figure("apr-dec-2017").rate
    figure = _leicester_figure("apr-dec-2018")
    figure.rate = before - Decimal("0.04")
    figure.save()
    client = client_for(chair)
    for url in ("/comparison/", "/", "/board-pack/"):
        page = _text(client.get(url))
        assert "-0.0" not in page and "Down 0.0" not in page, url
    table = _text(client.get("/comparison/"))
    leicester = re.search(r"Leicestershire - Leicester.*?</tr>", table).group(0)
    assert "no change at one decimal place" in leicester
    dashboard = _text(client.get("/"))
    assert f"No change at one decimal place from {before:.1f} in April–December 2017" in dashboard


def test_cards_say_the_focus_has_no_figure_rather_than_no_earlier_period(client_for, chair):
    _leicester_figure("apr-dec-2018").delete()
    page = _text(client_for(chair).get("/", {"period": "apr-dec-2018"}))
    assert "No figure for Leicester in April–December 2018" in page
    assert "No earlier comparable period" not in page


def test_cards_say_when_only_the_earlier_figure_is_missing(client_for, chair):
    _leicester_figure("apr-dec-2017").delete()
    page = _text(client_for(chair).get("/", {"period": "apr-dec-2018"}))
    assert "No figure for Leicester in April–December 2017 to compare with" in page
    # The average's change leaves Leicester out and says so.
    assert "over the 14 CSPs with a figure in both periods" in page


def test_rates_that_show_alike_but_rank_apart_get_two_decimals_on_table_and_chart(
    client_for, chair
):
    stoke = CrimeFigure.objects.get(
        csp__name="Stoke-on-Trent", period__slug="apr-dec-2018", category="All crime"
    )
    stoke.rate = Decimal("92.450")
    stoke.save()
    figure = _leicester_figure("apr-dec-2018")
    figure.rate = Decimal("92.540")
    figure.save()
    page = _text(client_for(chair).get("/comparison/"))
    assert "92.54" in page and "92.45" in page
    assert "shown to a further decimal place" in page
    assert '"92.54 (10th)"' in page or "92.54 (10th)" in page  # the chart's label, same string
