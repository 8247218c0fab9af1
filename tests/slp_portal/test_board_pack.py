"""/board-pack/: the dashboard's figures, attention list, spend and sources, printable on A4."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def pack(client, **query):
    return client.get(reverse("board-pack"), query)


def test_pack_carries_the_headline_the_charts_and_their_tables(client_for, chair):
    response = pack(client_for(chair))
    page = response.content.decode()
    assert "Board pack: Refresh April 2019 – March 2020" in page
    assert f"Prepared {timezone.localtime():%-d %b %Y}" in page
    assert "joint 10th" in page and "92.5" in page
    for element in (
        "ranked-chart-data",
        "trend-chart-data",
        "ranked-table",
        "trend-table",
        "delivery-table",
    ):
        assert f'id="{element}"' in page
    # Charts are fixed to the width of an A4 page so they print unscaled.
    assert response.context["bar_chart"]["layout"]["width"] == 680
    assert 'href="/static/css/board-pack.css"' in page
    assert "<script>" not in page


def test_attention_lists_exactly_the_overdue_and_red_actions(client_for, chair):
    response = pack(client_for(chair))
    # The demo as it stood at the end of its plan version (31 Mar 2020): the one red action of
    # priority a, and the actions whose last update is older than their review cadence.
    assert [(a.work_stream.priority.letter, a.title) for a in response.context["attention"]] == [
        ("a", "Weapons amnesty bins"),
        ("b", "Prevent awareness training for front-line staff"),
        ("b", "Third-party hate crime reporting centres"),
        ("c", "Community protection warnings for aggressive begging"),
        ("c", "Multi-agency outreach to rough sleepers"),
        ("d", "Repeat victim MARAC reviews"),
        ("e", "Monthly scam and crime prevention alerts"),
        ("f", "County lines awareness for taxi drivers and hoteliers"),
        ("f", "Modern slavery victim referrals"),
    ]
    assert "Escalate consents to the city council" in response.content.decode()  # next steps


def test_spend_and_sources_are_on_the_pack(client_for, chair):
    response = pack(client_for(chair))
    page = response.content.decode()
    assert "SLP funding and spend by work-stream" in page
    assert "£25,000.00" in page  # the night-time economy group's 2019/20 allocation
    assert [b.file_name for b in response.context["sources"]] == [
        "msg_crimes_per_1000_apr_dec_2016_2018.csv"
    ]


def test_a_lead_gets_a_pack_of_their_own_priority_only(client_for, other_lead):
    response = pack(client_for(other_lead))
    assert {row.priority.letter for row in response.context["delivery"].rows} == {"d"}
    assert [a.title for a in response.context["attention"]] == ["Repeat victim MARAC reviews"]
    assert "Weapons amnesty bins" not in response.content.decode()


def test_pack_query_count_does_not_grow_with_actions(client_for, chair, copy_actions):
    client = client_for(chair)
    pack(client)
    with CaptureQueriesContext(connection) as before:
        pack(client)
    copy_actions(4, status="red")
    with CaptureQueriesContext(connection) as after:
        response = pack(client)
    assert len(after.captured_queries) == len(before.captured_queries)
    assert len(response.context["attention"]) > 40
