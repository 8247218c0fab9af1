"""The portal's error pages: a database outage answers 503 with a page, never a traceback."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError

from actions.models import Action, ProgressUpdate

pytestmark = pytest.mark.django_db

UNAVAILABLE = "The portal is unavailable for a moment"


def stop_database(monkeypatch) -> None:
    """Make every session load fail as it does when PostgreSQL has stopped."""

    def refuse(self):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed')

    monkeypatch.setattr(SessionStore, "load", refuse)


def test_database_outage_answers_503_with_the_portal_page(client_for, chair, monkeypatch):
    client = client_for(chair)
    stop_database(monkeypatch)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert UNAVAILABLE in page
    assert "Accessibility statement" in page  # the portal's own layout
    assert "OperationalError" not in page and "Traceback" not in page and "5432" not in page


def test_progress_post_during_outage_saves_nothing(client_for, lead, monkeypatch):
    client = client_for(lead)
    action = Action.objects.reportable_by(lead).first()
    client.raise_request_exception = False
    before = ProgressUpdate.objects.count()
    stop_database(monkeypatch)
    response = client.post(
        f"/actions/{action.pk}/update/",
        {"reported_on": "2020-01-10", "status": "green", "spend": "0", "narrative": "outage"},
    )
    assert response.status_code == 503
    assert UNAVAILABLE in response.content.decode()
    assert ProgressUpdate.objects.count() == before
    assert not ProgressUpdate.objects.filter(narrative="outage").exists()


def test_other_failures_answer_500_without_details(client_for, chair, monkeypatch):
    def broken(self):
        raise RuntimeError("secret detail of the failure")

    client = client_for(chair)
    monkeypatch.setattr(SessionStore, "load", broken)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong" in page
    assert UNAVAILABLE not in page
    assert "secret detail" not in page and "Traceback" not in page
    assert "Retry-After" not in response
