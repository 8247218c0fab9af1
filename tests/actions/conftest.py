"""Demo objects the actions tests share: priority a's actions and work-streams, and priority d's."""

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
