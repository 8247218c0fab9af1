"""The dashboard's two sections, rendered once and kept in the cache until their data changes.

A section's key names what it shows and the state of the data behind it (the newest history
or row ids, which move with every write), so a repeat visit costs a few index lookups instead
of the comparison engine, three charts and a table of every CSP in the group. The sections
hold nothing that depends on who is looking beyond what the key names: the crime figures are
the same for every role, and the delivery key names the reader's scope.
"""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from actions.panel import DeliveryPanel
from crime_stats.panel import crime_panel
from crime_stats.selectors import crime_data_version
from priorities.models import PlanVersion

# Sections also expire after this long, so an edit that moves none of the ids in a key (a CSP
# renamed or a membership redrawn in the Django admin) shows within ten minutes.
CACHE_SECONDS = 600
SELECTION_PARAMETERS = ("group", "period", "category")


def crime_section(query: QueryDict) -> SafeString:
    """Return the rendered crime section for the selection in `query` (raises NotFound)."""
    chosen = "\x1f".join(query.get(name, "") for name in SELECTION_PARAMETERS)
    digest = hashlib.sha256(chosen.encode()).hexdigest()[:32]
    key = f"dashboard-crime:{digest}:{crime_data_version()}"
    html = cache.get(key)
    if html is None:
        panel = crime_panel(query)
        html = render_to_string("slp_portal/_dashboard_crime.html", {"panel": panel})
        cache.set(key, html, CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - our own template's output, escaped when rendered


def delivery_section(user: AbstractBaseUser) -> SafeString | None:
    """Return the rendered delivery section of the latest plan version, or None without one."""
    version = PlanVersion.objects.order_by("-starts_on").first()
    if version is None:
        return None
    panel = DeliveryPanel(version=version, user=user, today=timezone.localdate())
    key = f"dashboard-delivery:{panel.cache_key}"
    html = cache.get(key)
    if html is None:
        html = render_to_string("slp_portal/_dashboard_delivery.html", {"delivery": panel})
        cache.set(key, html, CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - our own template's output, escaped when rendered
