"""CSV and Excel downloads of the tracker, with the filters the user applied."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone

from actions.models import ActionQuerySet, RagStatus
from exports.tables import Cell, csv_response, xlsx_response

HEADER = [
    "Plan version",
    "Priority",
    "Work-stream",
    "Action",
    "Owner",
    "Partner",
    "Indicator",
    "Baseline",
    "Target",
    "Unit",
    "Start date",
    "Due date",
    "Review cadence",
    "Current status",
    "Last update",
    "Overdue",
    "SLP funding (£)",
    "Themes",
]


def tracker_rows(actions: ActionQuerySet) -> list[list[Cell]]:
    """Return one row per action, from a queryset annotated by `with_overdue_flag`."""
    status_labels = dict(RagStatus.choices)
    return [
        [
            action.work_stream.priority.version.name,
            action.work_stream.priority.letter,
            action.work_stream.name,
            action.title,
            action.owner.get_full_name() or action.owner.username,
            action.partner.name,
            action.indicator,
            action.baseline,
            action.target,
            action.unit,
            action.start_date,
            action.due_date,
            action.get_review_cadence_display(),
            status_labels.get(action.current_status, "No update yet"),
            action.last_reported_on,
            "Yes" if action.overdue else "No",
            action.funding,
            "; ".join(theme.name for theme in action.themes.all()),
        ]
        for action in actions
    ]


def tracker_export(actions: ActionQuerySet, export_format: str) -> HttpResponse:
    """Return the tracker as a CSV or Excel download named with today's date."""
    filename = f"slp-action-tracker-{timezone.localdate():%Y-%m-%d}"
    rows = tracker_rows(actions)
    if export_format == "xlsx":
        return xlsx_response(filename, HEADER, rows, sheet="Action tracker")
    return csv_response(filename, HEADER, rows)
