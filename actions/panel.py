"""Delivery by priority ready for a page: rows, chart and the key its rendering is cached by.

The rows and the chart are worked out only when first used, so a page that finds its rendering
in the cache (slp_portal/dashboard.py) never computes them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.contrib.auth.models import AbstractBaseUser

from actions.charts import delivery_chart
from actions.delivery import PriorityDelivery, delivery_by_priority
from priorities.models import PlanVersion


@dataclass(frozen=True)
class DeliveryPanel:
    """One plan version's delivery by priority, as one user may see it on one day."""

    version: PlanVersion
    user: AbstractBaseUser
    today: datetime.date

    @cached_property
    def rows(self) -> list[PriorityDelivery]:
        """Return each readable priority's delivery figures (four queries, on first use)."""
        return delivery_by_priority(version=self.version, user=self.user, today=self.today)

    @cached_property
    def chart(self) -> dict | None:
        """Return the stacked bar chart of actions by status, or None without actions."""
        return delivery_chart(self.rows, title="Actions by current status")
