"""The dashboard's two sections, rendered once and kept in the cache until their data changes.

A section's key names what it shows and the state of the data behind it: the newest history
or row ids of the tables it reads, which move with every write. One query reads them all, so a
repeat visit costs that query instead of the comparison engine, three charts and a table of
every CSP in the group. The sections hold nothing that depends on who is looking beyond what
the key names: the crime figures are the same for every role, and the delivery key names the
reader's scope.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db import connection, models
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from actions.delivery import delivery_data_sources, reader_scope
from actions.panel import DeliveryPanel
from crime_stats.panel import crime_panel
from crime_stats.selectors import crime_data_sources
from priorities.models import PlanVersion

# Sections also expire after this long, so an edit that moves none of the ids in a key (a CSP
# renamed or a membership redrawn in the Django admin) shows within ten minutes.
CACHE_SECONDS = 600
SELECTION_PARAMETERS = ("group", "period", "category")


@dataclass(frozen=True)
class DataState:
    """The newest ids behind each section, and the latest plan version's id (None if none)."""

    crime: str
    delivery: str
    latest_version_id: int | None


def data_state() -> DataState:
    """Return the state of the dashboard's data, read in one query."""
    sources = crime_data_sources() + delivery_data_sources()
    with connection.cursor() as cursor:
        cursor.execute(_state_sql(sources))
        *ids, latest_version_id = cursor.fetchone()
    split = len(crime_data_sources())
    return DataState(
        crime=_token(ids[:split]),
        delivery=_token(ids[split:]),
        latest_version_id=latest_version_id,
    )


def _state_sql(sources: list[tuple[type[models.Model], str]]) -> str:
    """Return one SELECT of each source's newest id and the latest plan version's id.

    Table and column names come from the models' metadata, never from a request.
    """
    quote = connection.ops.quote_name
    columns = [
        f"(SELECT MAX({quote(model._meta.get_field(field).column)}) "  # noqa: S608
        f"FROM {quote(model._meta.db_table)})"
        for model, field in sources
    ]
    versions = quote(PlanVersion._meta.db_table)
    columns.append(f"(SELECT id FROM {versions} ORDER BY starts_on DESC, id DESC LIMIT 1)")  # noqa: S608
    return f"SELECT {', '.join(columns)}"  # noqa: S608


def _token(ids: list[int | None]) -> str:
    return "-".join(str(number or 0) for number in ids)


def crime_section(query: QueryDict, state: DataState) -> SafeString:
    """Return the rendered crime section for the selection in `query` (raises NotFound)."""
    chosen = "\x1f".join(query.get(name, "") for name in SELECTION_PARAMETERS)
    digest = hashlib.sha256(chosen.encode()).hexdigest()[:32]
    key = f"dashboard-crime:{digest}:{state.crime}"
    html = cache.get(key)
    if html is None:
        panel = crime_panel(query)
        html = render_to_string("slp_portal/_dashboard_crime.html", {"panel": panel})
        cache.set(key, html, CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - our own template's output, escaped when rendered


def delivery_section(user: AbstractBaseUser, state: DataState) -> SafeString | None:
    """Return the rendered delivery section of the latest plan version, or None without one."""
    if state.latest_version_id is None:
        return None
    today = timezone.localdate()
    key = (
        f"dashboard-delivery:{state.latest_version_id}:{today.isoformat()}:"
        f"{reader_scope(user)}:{state.delivery}"
    )
    html = cache.get(key)
    if html is None:
        version = PlanVersion.objects.get(pk=state.latest_version_id)
        panel = DeliveryPanel(version=version, user=user, today=today)
        html = render_to_string("slp_portal/_dashboard_delivery.html", {"delivery": panel})
        cache.set(key, html, CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - our own template's output, escaped when rendered
