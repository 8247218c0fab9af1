"""The security review's output probes: NUL in a query, line breaks in a title, spreadsheet
look-alikes and reordering controls in exports, and signed-in answers kept out of caches."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from actions.models import Action
from exports.tables import neutralise
from priorities.fields import ONE_LINE_MESSAGE
from tests.accounts.test_two_factor import parameterless_paths
from tests.form_data import smart_form_data
from tests.test_export_escaping import csv_cells, xlsx_cells

pytestmark = pytest.mark.django_db


def test_a_nul_in_any_query_answers_400_on_every_page(client_for, admin):
    """`?category=%00` reached PostgreSQL (which refuses a NUL in text): a server error."""
    client = client_for(admin)
    for path in parameterless_paths():
        for query in ["category=%00", "format=csv&x%00=1", "next=/%00"]:
            response = client.get(f"{path}?{query}")
            assert response.status_code == 400, (path, query, response.status_code)
    assert client.get("/comparison/?category=All%20crime").status_code == 200


LINE_BREAKS = ["\n", "\r\n", "\r", "\u2028", "\x85", "\x0b"]


@pytest.mark.parametrize("line_break", LINE_BREAKS, ids=[repr(b) for b in LINE_BREAKS])
def test_an_action_title_is_one_line(client_for, lead, line_break):
    action = Action.objects.get(title="Weapons amnesty bins")
    title = f"Bins{line_break}URGENT: reset your password at http://evil.example"
    response = client_for(lead).post(
        reverse("actions:edit", args=[action.pk]), smart_form_data(action, title=title)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["title"] == [ONE_LINE_MESSAGE]
    action.refresh_from_db()
    assert action.title == "Weapons amnesty bins"


def test_a_title_with_line_breaks_stays_one_line_in_the_reminder_email(owner):
    """Even a title stored before the rule (or by hand) cannot add lines to an email."""
    action = Action.objects.get(title="Weapons amnesty bins")
    Action.objects.filter(pk=action.pk).update(
        title="Bins\r\nURGENT: reset your password at http://evil.example\u2028"
    )
    call_command("send_update_reminders", "--date", "2020-02-10", stdout=io.StringIO())
    [message] = [m for m in mail.outbox if m.to == [owner.email]]
    lines = message.body.splitlines()
    assert not [line for line in lines if line.startswith("URGENT")]
    assert any(
        line.startswith("- Bins URGENT: reset your password at http://evil.example (priority")
        for line in lines
    )


FULL_WIDTH = ['\uff1dHYPERLINK("http://evil.example")', "\uff0bcmd", "\uff0d2+3", "\uff20SUM(A1)"]


@pytest.mark.parametrize("text", FULL_WIDTH)
def test_full_width_formula_starts_are_neutralised_in_the_exports(client_for, chair, text):
    Action.objects.filter(title="Weapons amnesty bins").update(title=text)
    client = client_for(chair)
    tracker = reverse("actions:tracker")
    assert "'" + text in csv_cells(client.get(tracker, {"format": "csv"}))
    assert "'" + text in xlsx_cells(client.get(tracker, {"format": "xlsx"}))
    assert text not in csv_cells(client.get(tracker, {"format": "csv"}))


def test_a_right_to_left_override_is_dropped_from_export_cells(client_for, chair):
    """ "Safe \u202egnp.exe" shows as "Safe exe.png"; the export shows the real order."""
    Action.objects.filter(title="Weapons amnesty bins").update(title="Safe \u202egnp.exe")
    client = client_for(chair)
    tracker = reverse("actions:tracker")
    for cells in (
        csv_cells(client.get(tracker, {"format": "csv"})),
        xlsx_cells(client.get(tracker, {"format": "xlsx"})),
    ):
        assert "Safe gnp.exe" in cells
        assert not [c for c in cells if isinstance(c, str) and "\u202e" in c]
    for control in ["\u202a", "\u202b", "\u202c", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069"]:
        assert neutralise(f"a{control}b") == "ab"
    assert neutralise("\u202e=1+1") == "'=1+1"


@pytest.mark.parametrize(
    "path",
    ["/", "/actions/", "/actions/?format=csv", "/comparison/?format=xlsx", "/board-pack/"],
)
def test_signed_in_pages_and_exports_are_never_stored_by_a_cache(client_for, chair, path):
    response = client_for(chair).get(path)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_the_sign_in_page_and_health_check_are_not_marked_for_signed_in_users(client):
    assert "no-store" not in client.get("/healthz").get("Cache-Control", "")
