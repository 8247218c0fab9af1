"""Pages of delivery tracking: my actions, the tracker, an action, its edit and progress forms.

Every view gets its action through `actions.access` and every list through
`Action.objects.visible_to(user)`, so the roles are applied in one place.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from accounts.roles import Role, has_role
from actions import services
from actions.access import (
    get_action_for_editor,
    get_action_for_reader,
    get_action_for_reporter,
    may_edit,
    may_report,
)
from actions.audit import audit_trail
from actions.exports import tracker_export
from actions.forms import ActionForm, ProgressUpdateForm, TrackerFilterForm
from actions.models import Action, readable_priorities
from actions.spend import funding_lines
from priorities.access import editable_work_streams
from priorities.models import Priority


@require_GET
def my_actions(request: HttpRequest) -> HttpResponse:
    """The lead's and owner's home: their actions, overdue first, each a click from progress."""
    today = timezone.localdate()
    actions = list(
        Action.objects.visible_to(request.user)
        .mine(request.user)
        .with_overdue_flag(today)
        .for_listing()
        .order_by("-overdue", "reviewed_from", "title")
    )
    led = (
        Priority.objects.led_by(request.user)
        .select_related("version")
        .prefetch_related("work_streams")
        if has_role(request.user, Role.STRATEGIC_LEAD)
        else Priority.objects.none()
    )
    work_streams = [ws for priority in led for ws in priority.work_streams.all()]
    funding = funding_lines(work_streams)
    for work_stream in work_streams:
        work_stream.funding = funding[work_stream.pk]
    return render(
        request,
        "actions/mine.html",
        {
            "actions": actions,
            "overdue_count": sum(a.overdue for a in actions),
            "led_priorities": led,
            "today": today,
        },
    )


@require_GET
def tracker(request: HttpRequest) -> HttpResponse:
    """Every action the user may read, filtered; `?format=csv|xlsx` downloads the same rows."""
    today = timezone.localdate()
    filters = TrackerFilterForm(request.GET, priorities=readable_priorities(request.user))
    actions = filters.apply(Action.objects.visible_to(request.user), today)
    actions = (
        actions.with_overdue_flag(today)
        .for_listing()
        .order_by(
            "work_stream__priority__version__starts_on",
            "work_stream__priority__letter",
            "work_stream__name",
            "due_date",
            "title",
        )
    )
    export = request.GET.get("format")
    if export in {"csv", "xlsx"}:
        return tracker_export(actions, export)
    actions = list(actions)
    return render(
        request,
        "actions/tracker.html",
        {
            "filters": filters,
            "actions": actions,
            "overdue_count": sum(a.overdue for a in actions),
            "query": request.GET.urlencode(),
            "may_create": editable_work_streams(request).exists(),
        },
    )


@require_GET
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An action's SMART fields, update timeline, spend against allocation and audit trail."""
    action = get_action_for_reader(request, pk)
    today = timezone.localdate()
    updates = action.updates.select_related("author", "corrects").prefetch_related("corrections")
    return render(
        request,
        "actions/detail.html",
        {
            "action": action,
            "overdue": action.is_overdue(today),
            "current": action.updates.latest_first().first(),
            "updates": updates,
            "funding": funding_lines([action.work_stream])[action.work_stream_id],
            "audit": audit_trail(action),
            "may_edit": may_edit(request, action),
            "may_report": may_report(request, action),
        },
    )


@require_http_methods(["GET", "POST"])
def log_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """Log a progress update (or a correction of one) on an action the user may report on."""
    action = get_action_for_reporter(request, pk)
    form = ProgressUpdateForm(
        request.POST or None, action=action, initial={"reported_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            update = services.progress_update_create(
                action=action, author=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if update.submission_key_reused:
                messages.info(request, services.SENT_TWICE.format(title=action.title))
            else:
                messages.success(request, f"Progress logged on “{action.title}”.")
            return redirect("actions:detail", pk=action.pk)
    return render(request, "actions/log_progress.html", {"action": action, "form": form})


@require_http_methods(["GET", "POST"])
def action_create(request: HttpRequest) -> HttpResponse:
    """Create a SMART action under a work-stream of a priority the user leads."""
    work_streams = editable_work_streams(request)
    if not work_streams.exists():
        raise PermissionDenied("Only a strategic lead or an Admin may create actions.")
    initial = {}
    if request.GET.get("work_stream", "").isdigit():
        initial["work_stream"] = work_streams.filter(pk=request.GET["work_stream"]).first()
    form = ActionForm(request.POST or None, work_streams=work_streams, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_create(
                work_stream=form.cleaned_data["work_stream"],
                author=request.user,
                values=form.model_values(),
                themes=form.cleaned_data["themes"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"Action “{action.title}” created.")
            return redirect("actions:detail", pk=action.pk)
    return render(request, "actions/action_form.html", {"form": form, "action": None})


@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit an action; a save over someone else's newer save is refused and loses nothing."""
    action = get_action_for_editor(request, pk)
    form = ActionForm(
        request.POST or None, instance=action, work_streams=editable_work_streams(request)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.action_update(
                action=action,
                editor=request.user,
                edited_version=form.cleaned_data["edited_version"] or 0,
                values={**form.model_values(), "work_stream": form.cleaned_data["work_stream"]},
                themes=form.cleaned_data["themes"],
            )
        except services.ConcurrentEditError as conflict:
            # Keep what this editor typed, but let the next save go over the current version.
            data = request.POST.copy()
            data["edited_version"] = str(conflict.current.version)
            form = ActionForm(
                data, instance=conflict.current, work_streams=editable_work_streams(request)
            )
            form.is_valid()
            form.add_error(None, conflict.message)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"Action “{action.title}” saved.")
            return redirect("actions:detail", pk=action.pk)
    return render(request, "actions/action_form.html", {"form": form, "action": action})


def _add_errors(form, error: ValidationError) -> None:
    """Show a service's refusal beside the fields it names (or above the form)."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error.messages)
