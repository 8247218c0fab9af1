"""The plan's pages: each version's priorities with their delivery; what each refresh changed."""

from __future__ import annotations

from collections import defaultdict

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.roles import can_read_everything
from actions.delivery import delivery_by_priority
from actions.models import Action, readable_priorities
from priorities.changes import compare_priorities
from priorities.models import Plan, PlanVersion, WorkStream


@require_GET
def priority_list(request: HttpRequest) -> HttpResponse:
    """Each plan version's priorities, newest version first, with their work-streams, actions
    and RAG summary. Work-streams and actions show only where the user may read them."""
    today = timezone.localdate()
    versions = list(
        PlanVersion.objects.select_related("plan")
        .prefetch_related("priorities")
        .order_by("-starts_on")
    )
    streams = defaultdict(list)
    for stream in (
        WorkStream.objects.filter(priority__in=readable_priorities(request.user))
        .select_related("strategic_lead")
        .order_by("name")
    ):
        streams[stream.priority_id].append(stream)
    actions = defaultdict(list)
    for action in (
        Action.objects.visible_to(request.user)
        .with_overdue_flag(today)
        .for_listing()
        .order_by("due_date", "title")
    ):
        actions[action.work_stream_id].append(action)
    sections = []
    for version in versions:
        summary = {
            row.priority.pk: row
            for row in delivery_by_priority(version=version, user=request.user, today=today)
        }
        priorities = [
            {
                "priority": priority,
                "summary": summary.get(priority.pk),
                "work_streams": [
                    {"stream": stream, "actions": actions[stream.pk]}
                    for stream in streams[priority.pk]
                ],
            }
            for priority in version.priorities.all()
        ]
        sections.append({"version": version, "priorities": priorities})
    return render(
        request,
        "slp_portal/priority_list.html",
        {"sections": sections, "sees_everything": can_read_everything(request.user)},
    )


@require_GET
def priority_changes(request: HttpRequest) -> HttpResponse:
    """What each refresh of each plan changed, priority by priority, against the version before."""
    refreshes = []
    for plan in Plan.objects.prefetch_related("versions__priorities"):
        versions = sorted(plan.versions.all(), key=lambda version: version.starts_on)
        for before, after in zip(versions, versions[1:], strict=False):
            changes = compare_priorities(
                {p.letter: (p.wording, p.focus_areas) for p in before.priorities.all()},
                {p.letter: (p.wording, p.focus_areas) for p in after.priorities.all()},
            )
            refreshes.append({"plan": plan, "before": before, "after": after, "changes": changes})
    return render(request, "slp_portal/priority_changes.html", {"refreshes": refreshes})
