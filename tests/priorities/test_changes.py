import pytest
from django.urls import reverse

from priorities.changes import Segment, compare_priorities, wording_diff


def test_wording_diff_marks_added_words_only():
    assert wording_diff(
        "To support the Prevent agenda and deter extremism",
        "To support the Prevent agenda and deter extremism including hate crime/ incidents.",
    ) == [
        Segment("equal", "To support the Prevent agenda and deter extremism"),
        Segment("insert", "including hate crime/ incidents."),
    ]


def test_wording_diff_shows_replaced_words_as_removed_then_added():
    segments = wording_diff("reduce adult sexual exploitation", "reduce such as;")
    assert [s.op for s in segments] == ["equal", "delete", "insert"]
    assert (
        " ".join(s.text for s in segments if s.op != "insert") == "reduce adult sexual exploitation"
    )
    assert " ".join(s.text for s in segments if s.op != "delete") == "reduce such as;"


def test_compare_priorities_reports_each_letters_status_and_focus_areas():
    changes = compare_priorities(
        {"a": ("Same", []), "b": ("Old", []), "c": ("Gone", [])},
        {"a": ("Same", []), "b": ("New", ["county line"]), "d": ("Fresh", [])},
    )
    assert [(c.letter, c.status) for c in changes] == [
        ("a", "unchanged"),
        ("b", "reworded"),
        ("c", "removed"),
        ("d", "added"),
    ]
    assert changes[1].focus_added == ["county line"]


@pytest.mark.django_db
def test_changes_page_shows_that_the_2019_refresh_changed_b_and_f_only(
    client_for, chair, django_assert_max_num_queries
):
    client = client_for(chair)
    client.get(reverse("priority-changes"))  # the first request records the session's activity
    # Session, user, two-factor device, roles, then plans, versions and priorities.
    with django_assert_max_num_queries(7):
        response = client.get(reverse("priority-changes"))
    changes = response.context["refreshes"][0]["changes"]
    assert {c.letter: c.status for c in changes} == {
        "a": "unchanged",
        "b": "reworded",
        "c": "unchanged",
        "d": "unchanged",
        "e": "unchanged",
        "f": "reworded",
    }
    page = response.content.decode()
    assert "including hate crime/ incidents." in page
    assert "Focus area added: <ins" in page and "modern-day slavery" in page
    assert "Refresh April 2019 – March 2020" in page


@pytest.mark.django_db
def test_changes_page_needs_sign_in(client):
    response = client.get(reverse("priority-changes"))
    assert response.status_code == 302
