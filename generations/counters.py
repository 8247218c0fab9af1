"""Reading and bumping generation numbers (see generations/__init__.py)."""

from __future__ import annotations

from django.db import models, transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save

from generations.models import Generation

# The data sets the dashboard caches: crime figures, and delivery (the plan, its actions, updates).
CRIME = "crime"
DELIVERY = "delivery"


def bump(name: str) -> None:
    """Move the data set's number now, and again when the transaction commits.

    The second move retires anything a concurrent reader cached from the data as it stood
    before the commit, under the number the first move made.
    """
    _increment(name)
    transaction.on_commit(lambda: _increment(name))


def _increment(name: str) -> None:
    if not Generation.objects.filter(name=name).update(value=F("value") + 1):
        Generation.objects.get_or_create(name=name, defaults={"value": 1})


def current(*names: str) -> dict[str, int]:
    """Return the number of each named data set (0 for one never written), in one query."""
    values = dict(Generation.objects.filter(name__in=names).values_list("name", "value"))
    return {name: values.get(name, 0) for name in names}


def track(model: type[models.Model], name: str) -> None:
    """Bump `name` whenever an instance of `model` is saved or deleted one at a time."""

    def changed(**kwargs) -> None:
        bump(name)

    dispatch_uid = f"generation-{name}-{model._meta.label_lower}"
    post_save.connect(changed, sender=model, weak=False, dispatch_uid=dispatch_uid)
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=dispatch_uid + "-delete")
