"""Board meetings and what changed between them; issued packs; statutory duties; outcomes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods

from accounts.roles import can_read_everything
from actions.delivery import delivery_by_priority
from actions.models import Action
from partnership.changes import changes_between_days
from partnership.duties import duties_due
from partnership.forms import CompareForm, IndicatorValueForm, MeetingForm, OccurrenceForm
from partnership.models import (
    BoardMeeting,
    Duty,
    DutyOccurrence,
    IndicatorSource,
    IssuedPack,
    OutcomeIndicator,
)
from partnership.outcomes import LOCAL_NO_COUNT, SPC_MINIMUM, indicator_chart, indicator_trends
from partnership.packs import changes_since_issue, meeting_changes
from partnership.services import (
    indicator_value_record,
    may_record_value,
    may_update_occurrence,
    meeting_create,
    occurrence_update,
)
from priorities.models import Priority


@require_http_methods(["GET", "POST"])
def meeting_list(request: HttpRequest) -> HttpResponse:
    """Every board meeting, newest first; Admin and Chair add one here."""
    may_create = can_read_everything(request.user)
    form = MeetingForm(request.POST or None) if may_create else None
    if request.method == "POST":
        if not may_create:
            raise PermissionDenied
        if form.is_valid():
            meeting = meeting_create(**form.cleaned_data, created_by=request.user)
            messages.success(request, f"Added {meeting}.")
            return redirect("partnership:meeting", pk=meeting.pk)
    meetings = BoardMeeting.objects.select_related("issued_pack")
    return render(
        request,
        "partnership/meeting_list.html",
        {"meetings": meetings, "form": form, "compare": CompareForm()},
    )


def _get_meeting(pk: int) -> BoardMeeting:
    return get_object_or_404(BoardMeeting.objects.select_related("created_by"), pk=pk)


@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A meeting: its papers, what changed since the previous one, and its pack."""
    meeting = _get_meeting(pk)
    pack = IssuedPack.objects.filter(meeting=meeting).select_related("issued_by").first()
    return render(
        request,
        "partnership/meeting_detail.html",
        {
            "meeting": meeting,
            "previous": meeting.previous(),
            "pack": pack,
            "may_issue": can_read_everything(request.user) and pack is None,
            "report": meeting_changes(meeting, request.user),
        },
    )


@require_GET
def meeting_changes_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything that changed between the previous meeting and this one."""
    meeting = _get_meeting(pk)
    return render(
        request,
        "partnership/changes.html",
        {
            "meeting": meeting,
            "previous": meeting.previous(),
            "report": meeting_changes(meeting, request.user),
        },
    )


@require_GET
def compare_dates(request: HttpRequest) -> HttpResponse:
    """What changed between any two dates (inclusive)."""
    form = CompareForm(request.GET or None)
    report = None
    if form.is_valid():
        report = changes_between_days(
            form.cleaned_data["first"], form.cleaned_data["last"], request.user
        )
    return render(request, "partnership/changes.html", {"compare": form, "report": report})


def _get_issued_pack(request: HttpRequest, pk: int) -> IssuedPack:
    """Return the meeting's issued pack for Admin and Chair (403 for others, 404 if none)."""
    if not can_read_everything(request.user):
        raise PermissionDenied
    return get_object_or_404(
        IssuedPack.objects.select_related("meeting", "issued_by"), meeting_id=pk
    )


@require_GET
def issued_pack(request: HttpRequest, pk: int) -> HttpResponse:
    """The pack exactly as issued, and how many things have changed since."""
    pack = _get_issued_pack(request, pk)
    return render(
        request,
        "partnership/issued_pack.html",
        {"pack": pack, "since": changes_since_issue(pack, request.user)},
    )


@require_GET
def issued_pack_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The issued pack as an A4 PDF, made on the server."""
    from partnership.pdf import pdf_response

    pack = _get_issued_pack(request, pk)
    page = render(
        request,
        "partnership/issued_pack.html",
        # No flash messages: the PDF must not carry (or use up) a message meant for the page.
        {"pack": pack, "since": None, "for_pdf": True, "messages": []},
    ).content.decode()
    name = f"slp-board-pack-{pack.meeting.held_on:%Y-%m-%d}.pdf"
    return pdf_response(page, request, name)


@require_GET
def duty_list(request: HttpRequest) -> HttpResponse:
    """The duties register: overdue and due in the next 90 days, then every duty's basis."""
    today = timezone.localdate()
    return render(
        request,
        "partnership/duties.html",
        {
            "due": duties_due(request.user, today),
            "duties": Duty.objects.visible_to(request.user).prefetch_related(
                Prefetch("occurrences", DutyOccurrence.objects.select_related("owner"))
            ),
            "today": today,
        },
    )


def _get_occurrence(request: HttpRequest, pk: int) -> DutyOccurrence:
    """Return an occurrence the user may see; a restricted one is a 404 to everyone else."""
    return get_object_or_404(
        DutyOccurrence.objects.visible_to(request.user).select_related("duty", "owner"), pk=pk
    )


@require_http_methods(["GET", "POST"])
def duty_occurrence(request: HttpRequest, pk: int) -> HttpResponse:
    """One occurrence of a duty: its due date, owner and status, and its evidence."""
    occurrence = _get_occurrence(request, pk)
    may_update = may_update_occurrence(request.user, occurrence)
    initial = {
        "status": occurrence.status,
        "completed_on": occurrence.completed_on,
        "evidence_link": occurrence.evidence_link,
    }
    form = OccurrenceForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST":
        if not may_update:
            raise PermissionDenied
        if form.is_valid():
            occurrence_update(
                occurrence=occurrence,
                user=request.user,
                status=form.cleaned_data["status"],
                completed_on=form.cleaned_data["completed_on"],
                evidence_link=form.cleaned_data["evidence_link"],
                evidence=form.cleaned_data["evidence"],
            )
            messages.success(request, f"Saved {occurrence.duty.title}: {occurrence.label}.")
            return redirect("partnership:duty_occurrence", pk=occurrence.pk)
    return render(
        request,
        "partnership/duty_occurrence.html",
        {
            "occurrence": occurrence,
            "form": form if may_update else None,
            "overdue": occurrence.is_overdue(timezone.localdate()),
            "history": occurrence.history.select_related("history_user")[:20],
        },
    )


@require_GET
def duty_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """The occurrence's evidence document, as a download (never shown inline)."""
    occurrence = _get_occurrence(request, pk)
    if not occurrence.evidence_name:
        raise Http404("No document has been uploaded for this occurrence.")
    response = HttpResponse(
        bytes(occurrence.evidence_file), content_type="application/octet-stream"
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=occurrence.evidence_name
    )
    return response


def _get_priority(pk: int) -> Priority:
    """Return the priority. Like the priorities page, every priority's wording and outcomes are
    open to everyone signed in; its actions and delivery figures are scoped to the reader."""
    return get_object_or_404(Priority.objects.select_related("version", "strategic_lead"), pk=pk)


@require_GET
def priority_outcomes(request: HttpRequest, pk: int) -> HttpResponse:
    """The line of sight: each outcome indicator's trend beside the priority's actions' RAG
    status and spend."""
    priority = _get_priority(pk)
    today = timezone.localdate()
    delivery = next(
        (
            row
            for row in delivery_by_priority(
                version=priority.version, user=request.user, today=today
            )
            if row.priority.pk == priority.pk
        ),
        None,
    )
    trends = indicator_trends(priority)
    actions = (
        Action.objects.visible_to(request.user)
        .for_priority(priority)
        .with_overdue_flag(today)
        .for_listing()
        .order_by("work_stream__name", "due_date", "title")
    )
    return render(
        request,
        "partnership/priority_outcomes.html",
        {
            "priority": priority,
            "trends": [
                (trend, indicator_chart(trend), may_record_value(request.user, trend.indicator))
                for trend in trends
            ],
            "delivery": delivery,
            "actions": actions,
            "spc_minimum": SPC_MINIMUM,
            "local_no_count": LOCAL_NO_COUNT,
        },
    )


@require_http_methods(["GET", "POST"])
def indicator_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Enter (or correct) a local indicator's value for a quarter: its priority's lead or an
    Admin."""
    indicator = get_object_or_404(
        OutcomeIndicator.objects.select_related("priority__version"), pk=pk
    )
    if not may_record_value(request.user, indicator):
        raise PermissionDenied
    if indicator.source != IndicatorSource.LOCAL:
        raise Http404("This indicator comes from the crime figures.")
    form = IndicatorValueForm(request.POST or None, unit=indicator.unit)
    if request.method == "POST" and form.is_valid():
        record = indicator_value_record(indicator=indicator, user=request.user, **form.cleaned_data)
        messages.success(
            request, f"Saved {indicator.name}: {record.value.normalize():f} {indicator.unit}."
        )
        return redirect("partnership:priority_outcomes", pk=indicator.priority_id)
    values = indicator.values.select_related("entered_by").order_by("-quarter_ends_on")
    return render(
        request,
        "partnership/indicator_record.html",
        {"indicator": indicator, "form": form, "values": values},
    )
