"""Demo objects the actions tests share: priority a's actions and work-streams, and priority d's."""

import datetime

import pytest

from actions.models import Action
from priorities.models import WorkStream


@pytest.fixture
def owners_action(db) -> Action:
    """Priority a's "Weapons amnesty bins": owned by `owner`, led by `lead`, monthly review."""
    return Action.objects.get(title="Weapons amnesty bins")


@pytest.fixture
def leads_action(db) -> Action:
    """Priority a's "Test purchase operations at licensed premises", owned by `lead` himself."""
    return Action.objects.get(title="Test purchase operations at licensed premises")


@pytest.fixture
def priority_d_action(db) -> Action:
    """Priority d's hospital IDVA action, led and owned by `other_lead`."""
    return Action.objects.get(title="Independent domestic violence advisers at the hospital")


@pytest.fixture
def knife_stream(db) -> WorkStream:
    return WorkStream.objects.get(name="Knife crime and serious violence work-stream")


def smart_form_data(action: Action | None = None, **overrides) -> dict:
    """Return a complete, valid action form submission (from `action` when given)."""
    from priorities.models import Partner

    data = {
        "work_stream": action.work_stream_id if action else "",
        "title": action.title if action else "Safe space in the city centre",
        "description": action.description if action else "Open a safe space on weekend nights.",
        "indicator": action.indicator if action else "Vulnerable people helped",
        "baseline": str(action.baseline) if action and action.baseline is not None else "0",
        "target": str(action.target) if action else "200",
        "unit": action.unit if action else "people",
        "owner": action.owner_id if action else "",
        "partner": action.partner_id if action else Partner.objects.first().pk,
        "resources": action.resources if action else "Two paramedics and volunteers",
        "funding": str(action.funding) if action else "5000",
        "start_date": (action.start_date if action else datetime.date(2019, 6, 1)).isoformat(),
        "due_date": (action.due_date if action else datetime.date(2020, 3, 31)).isoformat(),
        "review_cadence": action.review_cadence if action else "monthly",
        "themes": [t.pk for t in action.themes.all()] if action else [],
        "edited_version": action.version if action else "",
    }
    data.update(overrides)
    return data
