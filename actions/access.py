"""The one way each view gets an action: 404 outside the user's scope, 403 for a forbidden change.

Every view that touches an action calls one of these, so a rule is written once. An action the
user may not read answers 404 whatever they asked to do with it, so its existence never leaks.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from actions.models import Action


def _get_visible(request: HttpRequest, pk: int) -> Action:
    action = (
        Action.objects.visible_to(request.user)
        .select_related("work_stream__priority__version", "owner", "partner")
        .filter(pk=pk)
        .first()
    )
    if action is None:
        raise Http404("No action found.")
    return action


def get_action_for_reader(request: HttpRequest, pk: int) -> Action:
    """Return the action if the user may read it; otherwise raise 404."""
    return _get_visible(request, pk)


def get_action_for_editor(request: HttpRequest, pk: int) -> Action:
    """Return the action if the user may edit it; 404 outside their scope, 403 inside it."""
    action = _get_visible(request, pk)
    if not Action.objects.editable_by(request.user).filter(pk=pk).exists():
        raise PermissionDenied(
            "Only the strategic lead of its priority or work-stream, or an Admin, may edit it."
        )
    return action


def get_action_for_reporter(request: HttpRequest, pk: int) -> Action:
    """Return the action if the user may log progress on it; 404 outside scope, 403 inside."""
    action = _get_visible(request, pk)
    if not Action.objects.reportable_by(request.user).filter(pk=pk).exists():
        raise PermissionDenied("Only the action's owner, its strategic lead or an Admin may.")
    return action


def may_edit(request: HttpRequest, action: Action) -> bool:
    """Return True when the user may edit the action (for showing the Edit button)."""
    return Action.objects.editable_by(request.user).filter(pk=action.pk).exists()


def may_report(request: HttpRequest, action: Action) -> bool:
    """Return True when the user may log progress on the action."""
    return Action.objects.reportable_by(request.user).filter(pk=action.pk).exists()
