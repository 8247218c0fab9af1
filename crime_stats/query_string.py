"""Which group, period and category a page shows, read from its query string."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict

from crime_stats.models import ALL_CRIME, ComparisonGroup, ReportingPeriod
from crime_stats.selectors import group_periods, period_categories

NO_GROUPS = "No comparison group has been set up yet."
UNKNOWN_GROUP = "There is no comparison group called “{}”."
UNKNOWN_PERIOD = "There is no reporting period “{}” with figures for {}."
UNKNOWN_CATEGORY = "There are no “{}” figures for {}."
UNKNOWN_FORMAT = "Unknown format “{}”: use json, csv or xlsx."


class NotFound(Exception):
    """A selection that names a group, period or category that does not exist."""


@dataclass(frozen=True)
class Selection:
    """What the visitor asked to see, with the choices for each selector."""

    group: ComparisonGroup
    period: ReportingPeriod
    category: str
    groups: list[ComparisonGroup]
    periods: list[ReportingPeriod]
    categories: list[str]


def selection_from(query: QueryDict) -> Selection:
    """Return the group, period and category named in `query` (defaults: the first group, its
    latest period, `All crime`), or raise NotFound with a message naming what does not exist."""
    groups = list(ComparisonGroup.objects.select_related("focus"))
    if not groups:
        raise NotFound(NO_GROUPS)
    name = query.get("group")
    group = next((g for g in groups if g.name == name), None) if name else groups[0]
    if group is None:
        raise NotFound(UNKNOWN_GROUP.format(name))
    category = query.get("category") or ALL_CRIME
    periods = group_periods(group, category)
    slug = query.get("period")
    if slug:
        period = next((p for p in periods if p.slug == slug), None)
        if period is None:
            raise NotFound(UNKNOWN_PERIOD.format(slug, group.name))
    elif periods:
        period = periods[-1]
    else:
        raise NotFound(UNKNOWN_CATEGORY.format(category, group.name))
    categories = period_categories(period)
    if category not in categories:
        raise NotFound(UNKNOWN_CATEGORY.format(category, group.name))
    return Selection(group, period, category, groups, periods, categories)
