"""Fixtures for the pages that combine apps: growing the demo data to check query counts."""

import datetime

import pytest

from actions.models import Action, ProgressUpdate

COPIED = ("id", "title", "created_at", "updated_at")


@pytest.fixture
def copy_actions(owner):
    """Return a function that copies every action `times` over, each with one update per day."""

    def copy(times: int, *, status: str = "green", days: tuple[int, ...] = (1,)) -> None:
        for template in list(Action.objects.all()):
            for number in range(times):
                action = Action.objects.create(
                    **{
                        field.attname: getattr(template, field.attname)
                        for field in Action._meta.concrete_fields
                        if field.attname not in COPIED
                    },
                    title=f"{template.title} ({number})",
                )
                ProgressUpdate.objects.bulk_create(
                    ProgressUpdate(
                        action=action,
                        reported_on=datetime.date(2019, 6, day),
                        status=status,
                        narrative="Copied",
                        next_steps="Copied",
                        author=owner,
                    )
                    for day in days
                )

    return copy
