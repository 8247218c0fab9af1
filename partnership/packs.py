"""Freezing a board pack: the body the board saw and the facts behind it, as plain data.

The live pack is rendered by `slp_portal` (which combines the apps); issuing it stores that
rendering's body and `pack_content` of its context, so the issued pack reopens exactly as it was
even after later imports, corrections and progress.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.roles import AnyUser
from partnership.changes import ChangeReport, changes_between, changes_between_days
from partnership.duties import duties_due
from partnership.models import BoardMeeting, IssuedPack

BODY_START = "<!-- pack:start -->"
BODY_END = "<!-- pack:end -->"


def pack_body(page: str) -> str:
    """Return the part of a rendered board-pack page between its start and end markers."""
    start = page.index(BODY_START) + len(BODY_START)
    return page[start : page.index(BODY_END, start)].strip()


def pack_content(context: dict) -> dict:
    """Return the facts of a board pack's context as JSON-ready data: the comparison's figures
    and headline text, the charts' data, delivery by priority, actions needing attention, and
    the data sources with their SHA-256."""
    content: dict = {"generated": context["generated"].isoformat()}
    panel = context.get("panel")
    if panel:
        table = panel.table
        content["selection"] = {
            "group": panel.selection.group.name,
            "period": panel.selection.period.label,
            "category": panel.selection.category,
        }
        content["figures"] = [
            {
                "csp": row.csp,
                "rate": row.rate,
                "position": row.position,
                "joint": row.joint,
                "band": row.band,
                "previous_rate": row.previous_rate,
                "change": row.change,
            }
            for row in table.comparison.rows
        ]
        content["msg_average"] = table.comparison.msg_average
        content["narrative"] = list(table.narrative)
        content["charts"] = {
            "bar": context.get("bar_chart"),
            "trend": context.get("trend_chart"),
            "funnel": context.get("funnel_chart"),
            "spc": context.get("spc_chart"),
        }
        content["sources"] = [
            {
                "file_name": batch.file_name,
                "sha256": batch.sha256,
                "format": batch.get_format_display(),
                "loaded": (batch.committed_at or batch.created_at).isoformat(),
                "by": batch.uploaded_by.username if batch.uploaded_by else "",
            }
            for batch in context.get("sources", [])
        ]
    delivery = context.get("delivery")
    if delivery:
        content["delivery"] = [
            {
                "priority": row.priority.letter,
                "statuses": dict(row.statuses),
                "overdue": row.overdue,
                "allocation": row.allocation,
                "spend": row.spend,
            }
            for row in delivery.rows
        ]
        content["attention"] = [
            {
                "action": action.title,
                "status": action.current_status,
                "overdue": bool(action.overdue),
                "last_update": action.last_reported_on,
            }
            for action in context.get("attention", [])
        ]
    return content


def latest_issued_pack() -> IssuedPack | None:
    """Return the most recently issued pack, or None."""
    return IssuedPack.objects.select_related("meeting").first()


def changes_since_issue(pack: IssuedPack, user: AnyUser) -> ChangeReport:
    """Return what changed from the moment `pack` was issued until now."""
    return changes_between(pack.issued_at, timezone.now(), user)


def meeting_changes(meeting: BoardMeeting, user: AnyUser) -> ChangeReport:
    """Return what changed since the previous meeting (the day after it) up to this one's day,
    or since records began for the first meeting."""
    previous = meeting.previous()
    first_day = previous.held_on + datetime.timedelta(days=1) if previous else None
    return changes_between_days(first_day, meeting.held_on, user)


def pack_header(user: AnyUser, today: datetime.date, meeting: BoardMeeting | None = None) -> dict:
    """Return what the top of a pack shows: for a meeting's pack, what changed since the
    previous meeting up to it; otherwise what changed since the last meeting before today. Also
    the latest issued pack and how many things changed since it was issued."""
    if meeting is not None:
        changes = meeting_changes(meeting, user)
        since = meeting.previous()
    else:
        since = BoardMeeting.objects.before(today).first()
        changes = (
            changes_between_days(since.held_on + datetime.timedelta(days=1), today, user)
            if since
            else None
        )
    pack = latest_issued_pack()
    return {
        "duties_due": duties_due(user, today),
        "pack_meeting": meeting,
        "pack_since_meeting": since,
        "pack_changes": changes,
        "issued_pack": pack,
        "changes_since_issue": changes_since_issue(pack, user) if pack else None,
    }
