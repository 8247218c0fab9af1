"""Writes of the partnership app: meetings, issuing packs, duty progress, indicator values."""

from __future__ import annotations

import datetime
import hashlib
import json
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.roles import AnyUser, can_read_everything, is_admin
from partnership.evidence import Evidence
from partnership.models import (
    BoardMeeting,
    DutyOccurrence,
    IndicatorSource,
    IndicatorValue,
    IssuedPack,
    OccurrenceStatus,
    OutcomeIndicator,
)

ALREADY_ISSUED = "The pack for this meeting was issued on {when}; an issued pack never changes."
ONLY_ADMIN_OR_CHAIR = "Only an Admin or the Chair may do this."


def require_admin_or_chair(user: AnyUser) -> None:
    """Raise PermissionDenied unless the user is an Admin or the Chair."""
    if not can_read_everything(user):
        raise PermissionDenied(ONLY_ADMIN_OR_CHAIR)


@transaction.atomic
def meeting_create(
    *, held_on: datetime.date, title: str, papers: str, created_by: AnyUser
) -> BoardMeeting:
    """Return a new board meeting; only an Admin or the Chair may create one."""
    require_admin_or_chair(created_by)
    meeting = BoardMeeting(held_on=held_on, title=title, papers=papers, created_by=created_by)
    meeting.full_clean()
    meeting.save()
    return meeting


def pack_digest(html: str, content: dict) -> str:
    """Return the SHA-256 of a pack's HTML and its content (canonical JSON)."""
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256((html + "\x00" + canonical).encode()).hexdigest()


@transaction.atomic
def pack_issue(
    *, meeting: BoardMeeting, html: str, content: dict, issued_by: AnyUser
) -> IssuedPack:
    """Return the meeting's pack frozen as `html` and `content`; refuses a second issue."""
    require_admin_or_chair(issued_by)
    existing = IssuedPack.objects.select_for_update().filter(meeting=meeting).first()
    if existing is not None:
        raise ValueError(ALREADY_ISSUED.format(when=f"{existing.issued_at:%-d %b %Y}"))
    content = json.loads(json.dumps(content, default=_json_value))
    pack = IssuedPack(
        meeting=meeting,
        issued_by=issued_by,
        issued_at=timezone.now(),
        html=html,
        content=content,
        sha256=pack_digest(html, content),
    )
    pack.full_clean()
    pack.save()
    return pack


def _json_value(value: object) -> str:
    """Return numbers and dates as the strings the pack shows (never floats)."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return str(value)


NOT_YOURS = "Only an Admin or the occurrence's owner may record its progress."
DONE_NEEDS_DATE = "Give the date it was done."


def may_update_occurrence(user: AnyUser, occurrence: DutyOccurrence) -> bool:
    """Return True for an Admin or the occurrence's owner."""
    return is_admin(user) or (occurrence.owner_id is not None and occurrence.owner_id == user.pk)


@transaction.atomic
def occurrence_update(
    *,
    occurrence: DutyOccurrence,
    user: AnyUser,
    status: str,
    completed_on: datetime.date | None,
    evidence_link: str,
    evidence: Evidence | None,
) -> DutyOccurrence:
    """Return the occurrence with its status and evidence recorded (history keeps the old)."""
    if not may_update_occurrence(user, occurrence):
        raise PermissionDenied(NOT_YOURS)
    occurrence.status = status
    occurrence.completed_on = completed_on if status == OccurrenceStatus.DONE else None
    occurrence.evidence_link = evidence_link
    if evidence is not None:
        occurrence.evidence_name = evidence.name
        occurrence.evidence_file = evidence.content
        occurrence.evidence_sha256 = evidence.sha256
    occurrence._history_user = user
    occurrence.full_clean()
    occurrence.save()
    return occurrence


NOT_THE_LEAD = "Only the priority's strategic lead or an Admin may enter its indicator values."
CRIME_INDICATOR = "This indicator comes from the crime figures; load figures to update it."


def may_record_value(user: AnyUser, indicator: OutcomeIndicator) -> bool:
    """Return True for an Admin or the strategic lead of the indicator's priority."""
    lead_id = indicator.priority.strategic_lead_id
    return is_admin(user) or (lead_id is not None and lead_id == user.pk)


@transaction.atomic
def indicator_value_record(
    *,
    indicator: OutcomeIndicator,
    user: AnyUser,
    quarter_ends_on: datetime.date,
    value: Decimal,
    note: str,
) -> IndicatorValue:
    """Return the quarter's value, created or corrected (the history keeps the previous one)."""
    if not may_record_value(user, indicator):
        raise PermissionDenied(NOT_THE_LEAD)
    if indicator.source != IndicatorSource.LOCAL:
        raise ValueError(CRIME_INDICATOR)
    record = IndicatorValue.objects.filter(
        indicator=indicator, quarter_ends_on=quarter_ends_on
    ).first() or IndicatorValue(indicator=indicator, quarter_ends_on=quarter_ends_on)
    record.value, record.note, record.entered_by = value, note, user
    record._history_user = user
    record.full_clean()
    record.save()
    return record
