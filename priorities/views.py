"""Work-stream pages: a lead creates and edits the work-streams of the priorities they lead."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from priorities.access import get_priority_for_editor, get_work_stream_for_editor
from priorities.forms import WorkStreamForm
from priorities.models import WorkStream
from priorities.services import ConcurrentEditError, work_stream_save


@require_http_methods(["GET", "POST"])
def work_stream_create(request: HttpRequest, priority_pk: int) -> HttpResponse:
    """Create a work-stream, with its funding, under a priority the user leads."""
    priority = get_priority_for_editor(request, priority_pk)
    work_stream = WorkStream(priority=priority, strategic_lead=priority.strategic_lead)
    return _edit(request, work_stream, created=True)


@require_http_methods(["GET", "POST"])
def work_stream_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a work-stream and its funding per financial year."""
    return _edit(request, get_work_stream_for_editor(request, pk), created=False)


def _edit(request: HttpRequest, work_stream: WorkStream, *, created: bool) -> HttpResponse:
    initial = {"strategic_lead": work_stream.strategic_lead_id} if created else None
    form = WorkStreamForm(
        request.POST or None,
        instance=work_stream,
        priority=work_stream.priority,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            work_stream_save(
                work_stream=form.instance,
                editor=request.user,
                allocations=form.allocations(),
                edited_version=form.cleaned_data["edited_version"],
            )
        except ConcurrentEditError as conflict:
            # Keep what this editor typed, but let the next save go over the current version.
            data = request.POST.copy()
            data["edited_version"] = str(conflict.current.version)
            form = WorkStreamForm(data, instance=conflict.current, priority=work_stream.priority)
            form.is_valid()
            form.add_error(None, conflict.message)
        except ValidationError as error:
            for field, field_errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_errors)
        else:
            messages.success(
                request, f"Work-stream “{work_stream.name}” {'created' if created else 'saved'}."
            )
            return redirect("actions:mine")
    return render(
        request,
        "priorities/work_stream_form.html",
        {"form": form, "work_stream": work_stream, "created": created},
    )
