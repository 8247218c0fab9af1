"""The one way each view gets a priority or work-stream to change: 404 or 403 outside scope.

A lead changes work-streams only under the priorities they lead, and adds actions to the
work-streams they lead (`WorkStream.objects.led_by`); an Admin changes everything.
Reading work-streams happens through the actions pages, whose scope `actions` applies.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from accounts.roles import Role, has_role, is_admin
from priorities.models import Priority, WorkStream


def editable_priorities(request: HttpRequest):
    """Return the priorities under which the user may create and edit work-streams."""
    if is_admin(request.user):
        return Priority.objects.all()
    if has_role(request.user, Role.STRATEGIC_LEAD):
        return Priority.objects.led_by(request.user)
    return Priority.objects.none()


def editable_work_streams(request: HttpRequest):
    """Return the work-streams under which the user may create and edit actions.

    An Admin: all; a strategic lead: those they lead (`WorkStream.objects.led_by`).
    """
    if is_admin(request.user):
        return WorkStream.objects.all()
    if has_role(request.user, Role.STRATEGIC_LEAD):
        return WorkStream.objects.led_by(request.user)
    return WorkStream.objects.none()


def _require_editing_role(request: HttpRequest) -> None:
    """Raise 403 for a user whose role never changes work-streams (Chair, Action owner)."""
    if not (is_admin(request.user) or has_role(request.user, Role.STRATEGIC_LEAD)):
        raise PermissionDenied("Only a strategic lead or an Admin may change work-streams.")


def get_priority_for_editor(request: HttpRequest, pk: int) -> Priority:
    """Return the priority if the user may add work-streams to it; 403 without the role, or 404."""
    _require_editing_role(request)
    priority = editable_priorities(request).select_related("version").filter(pk=pk).first()
    if priority is None:
        raise Http404("No priority found.")
    return priority


def get_work_stream_for_editor(request: HttpRequest, pk: int) -> WorkStream:
    """Return the work-stream if the user may edit it; 403 without the role, else 404."""
    _require_editing_role(request)
    work_stream = (
        WorkStream.objects.filter(priority__in=editable_priorities(request))
        .select_related("priority__version", "strategic_lead")
        .filter(pk=pk)
        .first()
    )
    if work_stream is None:
        raise Http404("No work-stream found.")
    return work_stream
