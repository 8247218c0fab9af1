"""Every free-text field has a maximum length, held by the form, the model and the database.

Unbounded, 16 progress updates of 9 MB made an action's page 148 MB and a worker 1 GB.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from actions.models import Action, ProgressUpdate
from partnership.models import BoardMeeting, Duty
from priorities.models import CrossCuttingTheme, Plan, Priority, WorkStream
from tests.form_data import progress

pytestmark = pytest.mark.django_db

# (model, field, limit): every free-text field of the portal's models.
BOUNDED = [
    (Action, "description", 2_000),
    (Action, "resources", 2_000),
    (ProgressUpdate, "narrative", 5_000),
    (ProgressUpdate, "next_steps", 2_000),
    (WorkStream, "description", 2_000),
    (CrossCuttingTheme, "description", 2_000),
    (Plan, "vision", 2_000),
    (Priority, "wording", 1_000),
    (BoardMeeting, "papers", 5_000),
    (Duty, "description", 2_000),
    (Duty, "legal_basis", 2_000),
]
IDS = [f"{model.__name__}.{field}" for model, field, _ in BOUNDED]


def _first(model):
    if model is ProgressUpdate:
        return ProgressUpdate.objects.filter(action__title="Weapons amnesty bins").first()
    if model is BoardMeeting and not BoardMeeting.objects.exists():
        from django.contrib.auth.models import User

        return BoardMeeting.objects.create(
            held_on="2020-01-15", title="SLP board", created_by=User.objects.first()
        )
    return model.objects.order_by("pk").first()


def test_the_progress_form_says_the_limit_and_keeps_what_was_typed(client_for, owner):
    action = Action.objects.get(title="Weapons amnesty bins")
    before = ProgressUpdate.objects.count()
    narrative = "x" * 5_001
    response = client_for(owner).post(
        reverse("actions:update", args=[action.pk]), progress(narrative=narrative)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["narrative"] == [
        "Ensure this value has at most 5000 characters (it has 5001)."
    ]
    assert ProgressUpdate.objects.count() == before
    html = response.content.decode()
    assert 'maxlength="5000"' in html and "Up to 5,000 characters." in html
    assert narrative in html  # nothing typed is lost


def test_a_narrative_at_the_limit_is_stored(client_for, owner):
    action = Action.objects.get(title="Weapons amnesty bins")
    response = client_for(owner).post(
        reverse("actions:update", args=[action.pk]), progress(narrative="x" * 5_000)
    )
    assert response.status_code == 302
    assert len(action.updates.latest("created_at").narrative) == 5_000


@pytest.mark.parametrize(("model", "field", "limit"), BOUNDED, ids=IDS)
def test_the_model_refuses_text_over_the_limit(model, field, limit):
    row = _first(model)
    setattr(row, field, "x" * (limit + 1))
    with pytest.raises(ValidationError) as refused:
        row.full_clean()
    assert f"at most {limit} characters" in " ".join(refused.value.message_dict[field])


@pytest.mark.parametrize(("model", "field", "limit"), BOUNDED, ids=IDS)
def test_the_database_refuses_text_over_the_limit(model, field, limit):
    row = _first(model)
    model.objects.filter(pk=row.pk).update(**{field: "x" * limit})
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=row.pk).update(**{field: "x" * (limit + 1)})
