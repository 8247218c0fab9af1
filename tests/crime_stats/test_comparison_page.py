"""/comparison/: the plan's table, its JSON, CSV and Excel forms, errors, roles and queries."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from crime_stats.models import CSP, ComparisonGroup, CrimeFigure, GroupMembership, ReportingPeriod

pytestmark = pytest.mark.django_db
URL = "/comparison/"


def test_the_url_is_the_one_design_fixes():
    assert reverse("comparison") == URL


def test_json_has_exactly_the_designed_shape_with_the_defaults(client_for, chair):
    document = client_for(chair).get(URL, {"format": "json"}).json()
    assert set(document) == {
        "group", "period", "category", "msg_average", "std_dev", "rows", "focus", "narrative",
        "periods", "msg_average_change", "national", "spc",
    }  # fmt: skip
    assert document["group"] == {
        "name": "Leicester Most Similar Group",
        "focus": "Leicestershire - Leicester",
    }
    assert document["period"] == {"slug": "apr-dec-2018", "label": "April–December 2018"}
    assert document["category"] == "All crime"
    assert document["msg_average"] == 101.473
    assert document["std_dev"] == 25.453
    assert document["periods"] == [
        {"slug": "apr-dec-2016", "label": "April–December 2016"},
        {"slug": "apr-dec-2017", "label": "April–December 2017"},
        {"slug": "apr-dec-2018", "label": "April–December 2018"},
    ]
    assert len(document["rows"]) == 15
    # The plan's table gives rates without counts: no interval, test or range can be given.
    no_uncertainty = {
        "offences": None, "population": None, "ci_lower": None, "ci_upper": None,
        "change_p_value": None, "change_verdict": None, "position_low": None,
        "position_high": None,
    }  # fmt: skip
    assert document["rows"][0] == {
        "csp": "Lancashire - Blackpool", "rate": 167.7, "position": 1, "joint": False,
        "change": 49.8, "change_pct": 42.239, "band": "above", **no_uncertainty,
    }  # fmt: skip
    assert document["focus"] == {
        "csp": "Leicestershire - Leicester", "rate": 92.5, "position": 10, "joint": True,
        "change": 7.9, "change_pct": 9.338, "band": "in line", "previous_position": 11,
        **no_uncertainty,
    }  # fmt: skip
    assert document["national"] is None and document["spc"] is None
    assert document["msg_average_change"] == {
        "change": 10.113, "change_pct": 11.07, "members_in_both_periods": 15,
    }  # fmt: skip
    assert {row["band"] for row in document["rows"]} == {"above", "below", "in line"}
    assert document["narrative"][1].startswith("Leicester was joint 10th of 15 (with Stoke")


def test_json_for_the_first_period_has_null_changes(client_for, chair):
    document = client_for(chair).get(URL, {"format": "json", "period": "apr-dec-2016"}).json()
    assert document["msg_average"] == 75.733
    assert all(row["change"] is None and row["change_pct"] is None for row in document["rows"])
    assert document["focus"]["previous_position"] is None
    assert document["focus"]["position"] == 9


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"group": "Nowhere MSG"}, "There is no comparison group called “Nowhere MSG”."),
        (
            {"period": "apr-dec-1999"},
            "There is no reporting period “apr-dec-1999” with figures for Leicester Most "
            "Similar Group.",
        ),
        ({"category": "Piracy"}, "There are no “Piracy” figures for Leicester Most Similar Group."),
    ],
)
def test_unknown_selections_are_404_with_a_clear_message(client_for, chair, query, message):
    client = client_for(chair)
    page = client.get(URL, query)
    assert page.status_code == 404
    assert message in page.content.decode()
    document = client.get(URL, query | {"format": "json"})
    assert document.status_code == 404
    assert document.json() == {"error": message}


def test_an_unknown_format_is_refused(client_for, chair):
    response = client_for(chair).get(URL, {"format": "pdf"})
    assert response.status_code == 404
    assert "Unknown format “pdf”: use json, csv or xlsx." in response.content.decode()


def test_the_page_shows_the_plans_table_with_positions_changes_and_bands(client_for, chair):
    page = client_for(chair).get(URL).content.decode()
    for average in ("75.7", "91.4", "101.5"):
        assert f'<td class="text-end">{average}</td>' in page
    assert "joint 10" in page
    assert "more than one standard deviation (population) from the MSG average" in page
    assert "Leicester was joint 10th of 15 (with Stoke-on-Trent)" in page
    assert '<td class="text-end">+11.1%</td>' in page  # the MSG average's change


def test_sorting_by_rate_either_way(client_for, chair):
    client = client_for(chair)
    ascending = client.get(URL, {"sort": "rate"}).context["rows"]
    assert [line.row.name for line in ascending][:2] == ["Coventry", "Birmingham"]
    descending = client.get(URL, {"sort": "-rate"})
    assert descending.context["rows"][0].row.name == "Blackpool"
    assert 'aria-sort="descending"' in descending.content.decode()


def test_csv_download_holds_the_table(client_for, chair):
    response = client_for(chair).get(URL, {"format": "csv"})
    assert (
        response["Content-Disposition"] == 'attachment; filename="msg-comparison-apr-dec-2018.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "CSP", "April–December 2016", "April–December 2017", "April–December 2018",
        "Offences", "Population", "95% CI lower", "95% CI upper", "Position", "Joint",
        "Position could be from", "Position could be to", "Change", "Change %",
        "Change p-value", "Real change?", "Band",
    ]  # fmt: skip
    leicester = next(row for row in rows if row[0] == "Leicestershire - Leicester")
    assert leicester == ["Leicestershire - Leicester", "70.700", "84.600", "92.500", "", "",
                         "no count: no interval", "", "10", "joint", "", "", "7.900", "9.338",
                         "", "not tested", "in line"]  # fmt: skip
    assert rows[-2] == [
        "MSG average", "75.733", "91.360", "101.473", "", "", "", "", "", "", "", "",
        "10.113", "11.070", "", "not tested", "",
    ]  # fmt: skip
    assert rows[-1][0] == "Standard deviation (population)"
    assert len(rows) == 1 + 15 + 2


def test_xlsx_download_holds_numbers(client_for, chair):
    response = client_for(chair).get(URL, {"format": "xlsx", "period": "apr-dec-2017"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["CSP", "April–December 2016", "April–December 2017"]
    leicester = next(row for row in values if row[0] == "Leicestershire - Leicester")
    assert leicester == [
        "Leicestershire - Leicester", 70.7, 84.6, None, None, "no count: no interval", None,
        11, None, None, None, 13.9, 19.661, None, "not tested", "in line",
    ]  # fmt: skip
    assert values[-2][:3] == ["MSG average", 75.733, 91.36]


def test_a_missing_member_figure_is_flagged_and_left_out(client_for, chair):
    CrimeFigure.objects.get(csp__name="Blackpool", period__slug="apr-dec-2018").delete()
    client = client_for(chair)
    document = client.get(URL, {"format": "json"}).json()
    blackpool = document["rows"][-1]
    assert blackpool == {
        "csp": "Lancashire - Blackpool", "rate": None, "position": None, "joint": False,
        "change": None, "change_pct": None, "band": None, "offences": None,
        "population": None, "ci_lower": None, "ci_upper": None, "change_p_value": None,
        "change_verdict": None, "position_low": None, "position_high": None,
    }  # fmt: skip
    assert document["msg_average"] == round(float((Decimal("1522.1") - Decimal("167.7")) / 14), 3)
    assert document["focus"]["position"] == 9
    assert "Blackpool has no figure for this period" in document["narrative"][-1]
    page = client.get(URL).content.decode()
    assert "Figures missing for April–December 2018:" in page
    assert "worked out on the other 14 CSPs" in page


def _page_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_query_count_stays_constant_as_the_group_grows(client_for, chair):
    client = client_for(chair)
    client.get(URL)  # the first request records the session's activity
    before = _page_queries(client)
    group = ComparisonGroup.objects.get()
    periods = list(ReportingPeriod.objects.all())
    for number in range(30):
        csp = CSP.objects.create(force="Testshire", name=f"Extra {number}")
        GroupMembership.objects.create(group=group, csp=csp, valid_from=datetime.date(2016, 4, 1))
        for period in periods:
            CrimeFigure.objects.create(csp=csp, period=period, rate=Decimal(50 + number))
    after = _page_queries(client)
    assert after == before
    assert after <= 12  # 10, plus one each for the national context and the quarterly chart
    assert len(client.get(URL).context["rows"]) == 45


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL, {"format": "json"})
    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('login')}?next=")


@pytest.mark.parametrize("role", ["admin", "chair", "lead", "other_lead", "owner"])
def test_every_signed_in_role_reads_the_comparison(client_for, role, request):
    client = client_for(request.getfixturevalue(role))
    page = client.get(URL)
    assert page.status_code == 200
    assert "Leicestershire - Leicester" in page.content.decode()
    assert client.get(URL, {"format": "json"}).json()["focus"]["position"] == 10


def test_the_page_is_get_only(client_for, chair):
    assert client_for(chair).post(URL).status_code == 405
