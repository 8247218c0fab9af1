"""The tracker: each role sees its scope, filters narrow it, exports match, queries stay flat."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from actions.models import Action
from priorities.models import CrossCuttingTheme, Priority

pytestmark = pytest.mark.django_db
TRACKER = reverse("actions:tracker")


def titles(response) -> set[str]:
    return {a.title for a in response.context["actions"]}


def test_chair_sees_every_action(client_for, chair):
    assert len(titles(client_for(chair).get(TRACKER))) == Action.objects.count() == 13


def test_a_lead_sees_only_their_priority_in_rows_filters_and_exports(client_for, other_lead):
    client = client_for(other_lead)
    response = client.get(TRACKER)
    assert titles(response) == {
        "Independent domestic violence advisers at the hospital",
        "Repeat victim MARAC reviews",
    }
    page = response.content.decode()
    assert "Knife crime and serious violence work-stream" not in page  # not even as a choice
    assert "2 actions shown" in page
    rows = list(
        csv.reader(io.StringIO(client.get(TRACKER, {"format": "csv"}).content.decode("utf-8-sig")))
    )
    assert [r[3] for r in rows[1:]] == sorted(titles(response), reverse=False)
    # Asking for a priority outside scope filters nothing in: the choice is refused.
    a = Priority.objects.get(version__slug="refresh-2019-20", letter="a")
    assert titles(client.get(TRACKER, {"priority": a.pk})) == titles(response)


def test_owner_reads_their_whole_priority(client_for, owner):
    assert titles(client_for(owner).get(TRACKER)) == set(
        Action.objects.filter(work_stream__priority__letter="a").values_list("title", flat=True)
    )


def test_filters_by_priority_status_theme_and_overdue(client_for, chair):
    client = client_for(chair)
    a = Priority.objects.get(version__slug="refresh-2019-20", letter="a")
    assert len(titles(client.get(TRACKER, {"priority": a.pk}))) == 4
    assert titles(client.get(TRACKER, {"priority": a.pk, "overdue": "yes"})) == {
        "Weapons amnesty bins"
    }
    assert len(titles(client.get(TRACKER, {"priority": a.pk, "overdue": "no"}))) == 3
    assert titles(client.get(TRACKER, {"status": "complete"})) == {
        "Knife crime education sessions in secondary schools"
    }
    assert titles(client.get(TRACKER, {"status": "none"})) == {"Modern slavery victim referrals"}
    theme = CrossCuttingTheme.objects.first()
    themed = set(Action.objects.filter(themes=theme).values_list("title", flat=True))
    assert titles(client.get(TRACKER, {"theme": theme.pk})) == themed


def test_the_excel_export_has_the_filtered_rows(client_for, chair):
    response = client_for(chair).get(TRACKER, {"status": "complete", "format": "xlsx"})
    assert response["Content-Disposition"].startswith('attachment; filename="slp-action-tracker-')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][3] == "Action" and rows[0][13] == "Current status"
    assert [(r[3], r[13], r[15]) for r in rows[1:]] == [
        ("Knife crime education sessions in secondary schools", "Complete", "No")
    ]


@pytest.mark.parametrize("path", [TRACKER, reverse("actions:mine"), TRACKER + "?format=csv"])
def test_query_count_stays_constant_with_ten_times_the_actions(
    client_for, lead, copy_actions, path, django_assert_max_num_queries
):
    client = client_for(lead)
    client.get(path)  # warm the session
    with django_assert_max_num_queries(13) as small:  # 4 of them: session, user, device, roles
        client.get(path)
    copy_actions(9, days=(1, 2, 3))
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        response = client.get(path)
    assert response.status_code == 200
    if path != TRACKER + "?format=csv":
        assert len(response.context["actions"]) == 40
    assert len(large.captured_queries) == len(small.captured_queries)
