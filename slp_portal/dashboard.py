"""The dashboard's two sections, rendered once and kept in the cache until their data changes.

A section's key names what it shows and the generation of the data behind it (generations/):
every write to crime figures, or to the plan, actions and updates, bumps its number. One query
reads both numbers, so a repeat visit costs that query instead of the comparison engine, three
charts and a table of every CSP in the group. The sections hold nothing that depends on who is
looking beyond what the key names: the crime figures are the same for every role, and the
delivery key names the reader's scope.
"""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from actions.charts import delivery_chart
from actions.delivery import VersionDelivery, delivery_by_priority, reader_scope
from crime_stats.panel import crime_panel
from generations.counters import CRIME, DELIVERY, current
from priorities.models import PlanVersion

# Sections also expire after this long, so an edit that bumps no generation (a CSP renamed or
# a membership redrawn in the Django admin) shows within ten minutes.
CACHE_SECONDS = 600
SELECTION_PARAMETERS = ("group", "period", "category")
NO_VERSION = ""  # cached when there is no plan version, so the section is None


def data_state() -> dict[str, int]:
    """Return the generation of the dashboard's crime and delivery data, read in one query."""
    return current(CRIME, DELIVERY)


def crime_section(query: QueryDict, state: dict[str, int]) -> SafeString:
    """Return the rendered crime section for the selection in `query` (raises NotFound)."""
    chosen = "\x1f".join(query.get(name, "") for name in SELECTION_PARAMETERS)
    digest = hashlib.sha256(chosen.encode()).hexdigest()[:32]
    key = f"dashboard-crime:{digest}:{state[CRIME]}"
    html = cache.get(key)
    if html is None:
        panel = crime_panel(query)
        with panel.precision():
            html = render_to_string("slp_portal/_dashboard_crime.html", {"panel": panel})
        cache.set(key, html, CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - our own template's output, escaped when rendered


def delivery_section(user: AbstractBaseUser, state: dict[str, int]) -> SafeString | None:
    """Return the rendered delivery section of the latest plan version, or None without one."""
    today = timezone.localdate()
    key = f"dashboard-delivery:{today.isoformat()}:{reader_scope(user)}:{state[DELIVERY]}"
    html = cache.get(key)
    if html is None:
        version = PlanVersion.objects.order_by("-starts_on", "-id").first()
        html = NO_VERSION
        if version is not None:
            rows = delivery_by_priority(version=version, user=user, today=today)
            chart = delivery_chart(rows, title="Actions by current status")
            delivery = VersionDelivery(version, rows, chart)
            html = render_to_string("slp_portal/_dashboard_delivery.html", {"delivery": delivery})
        cache.set(key, html, CACHE_SECONDS)
    return mark_safe(html) if html else None  # noqa: S308 - our own template's output, escaped
