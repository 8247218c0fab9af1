"""The data-loading pages (Admin only): batches, upload → check → preview → confirm, undo.

Checking, loading and undoing run in the worker (crime_stats/tasks.py): these views record a
job and send the admin to the batch page, which shows its progress (polling `batch_progress`),
a Cancel button while it runs, and its outcome.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.roles import is_admin
from crime_stats.forms import ConfirmForm, UploadForm
from crime_stats.importers import ImportOptions, ImportRefused
from crime_stats.importers.batches import confirm_refusal, undo_refusal
from crime_stats.models import ImportBatch, ImportJob, ImportUpload
from crime_stats.tasks import job_cancel, job_rerun, job_start, upload_and_check


def _require_admin(request: HttpRequest) -> None:
    if not is_admin(request.user):
        raise PermissionDenied("Only an Admin may load crime figures.")


def _get_batch_for_admin(request: HttpRequest, pk: int) -> ImportBatch:
    """Return the batch for an Admin; 403 for anyone else, 404 when there is no such batch."""
    _require_admin(request)
    return get_object_or_404(ImportBatch.objects.select_related("uploaded_by"), pk=pk)


@require_GET
def batch_list(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    batches = ImportBatch.objects.select_related("uploaded_by").order_by("-created_at")[:200]
    return render(request, "crime_stats/data_batches.html", {"batches": batches})


@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        population = form.cleaned_data["population"]
        options = ImportOptions(
            format=form.cleaned_data["format"],
            span=form.cleaned_data["span"],
            period=form.cleaned_data["period"],
            category=form.cleaned_data["category"].strip(),
        )
        batch = upload_and_check(
            content=file.chunks(),  # read and compressed a chunk at a time
            file_name=file.name,
            options=options,
            population=population.read() if population else None,
            population_name=population.name if population else "",
            user=request.user,
        )
        return redirect("data_batch", pk=batch.pk)
    return render(request, "crime_stats/data_upload.html", {"form": form})


def _preview(batch: ImportBatch) -> dict:
    upload = ImportUpload.objects.filter(batch=batch).only("preview").first()
    return upload.preview if upload else {}


def _confirm_form(preview: dict, data=None) -> ConfirmForm:
    """Return the confirm form for a preview: it asks for what the preview found."""
    return ConfirmForm(
        data,
        unknown_csps=len(preview.get("unknown_csps", [])),
        implausible=preview.get("implausible_total", 0),
    )


def _job_context(batch: ImportBatch) -> dict:
    """Return the batch's latest job and what the page says about it."""
    job = batch.jobs.select_related("requested_by").first()
    now = timezone.now()
    return {
        "job": job,
        "job_active": job is not None and job.is_active and not job.is_stale(now),
        "job_stale": job is not None and job.is_stale(now),
        "job_waiting_long": job is not None and job.is_waiting_long(now),
    }


def _batch_page(request: HttpRequest, batch: ImportBatch, form=None, status: int = 200):
    preview = _preview(batch)
    jobs = _job_context(batch)
    form = form or _confirm_form(preview)
    context = {"batch": batch, "preview": preview, "form": form, **jobs}
    context.update(
        _confirmable(batch, preview, busy=jobs["job"] is not None and jobs["job"].is_active)
    )
    return render(request, "crime_stats/data_batch.html", context, status=status)


@require_GET
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _batch_page(request, _get_batch_for_admin(request, pk))


def _confirmable(batch: ImportBatch, preview: dict, *, busy: bool) -> dict:
    """Return whether the preview may be confirmed, and the problems that stop it otherwise."""
    blocking = preview.get("problems", [])
    changes = preview.get("created_total", 0) + preview.get("updated_total", 0)
    return {
        "blocking": blocking,
        "can_confirm": batch.status == ImportBatch.Status.PREVIEWED
        and not blocking
        and changes > 0
        and not busy,
    }


@require_GET
def batch_progress(request: HttpRequest, pk: int) -> JsonResponse:
    """Return the latest job's progress as JSON, for the batch page's progress bar."""
    batch = _get_batch_for_admin(request, pk)
    context = _job_context(batch)
    job = context["job"]
    if job is None:
        return JsonResponse({"state": "none", "finished": True})
    return JsonResponse(
        {
            "state": job.state,
            "kind": job.get_kind_display(),
            "phase": job.phase,
            "done": job.done,
            "total": job.total,
            "unit": job.unit,
            "percent": job.percent,
            "stale": context["job_stale"],
            "waiting_long": context["job_waiting_long"],
            "cancel_requested": job.cancel_requested,
            # The page reloads to show the outcome once the job is over (or its worker died).
            "finished": not job.is_active or context["job_stale"],
        }
    )


def _start(request: HttpRequest, batch: ImportBatch, kind: str, **arguments) -> HttpResponse:
    try:
        job_start(batch=batch, kind=kind, user=request.user, arguments=arguments)
    except ImportRefused as refusal:
        messages.error(request, str(refusal))
    return redirect("data_batch", pk=batch.pk)


@require_POST
def batch_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _get_batch_for_admin(request, pk)
    preview = _preview(batch)
    form = _confirm_form(preview, request.POST)
    if not form.is_valid():
        return _batch_page(request, batch, form=form, status=400)
    refusal = confirm_refusal(batch)
    if refusal:
        messages.error(request, refusal)
        return redirect("data_batch", pk=batch.pk)
    skip = form.cleaned_data["skip_unknown_csps"]
    return _start(request, batch, ImportJob.Kind.CONFIRM, skip_unknown_csps=skip)


@require_http_methods(["GET", "POST"])
def batch_undo(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _get_batch_for_admin(request, pk)
    if request.method == "POST":
        refusal = undo_refusal(batch)
        if refusal:
            messages.error(request, refusal)
            return redirect("data_batch", pk=batch.pk)
        return _start(request, batch, ImportJob.Kind.UNDO)
    changes = batch.changes.select_related("csp", "period").order_by("period__start", "category")
    return render(
        request,
        "crime_stats/data_undo.html",
        {"batch": batch, "changes": changes[:200], "change_count": batch.changes.count()},
    )


@require_POST
def batch_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _get_batch_for_admin(request, pk)
    try:
        messages.info(request, job_cancel(batch=batch))
    except ImportRefused as refusal:
        messages.error(request, str(refusal))
    return redirect("data_batch", pk=batch.pk)


@require_POST
def batch_rerun(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _get_batch_for_admin(request, pk)
    try:
        job_rerun(batch=batch, user=request.user)
    except ImportRefused as refusal:
        messages.error(request, str(refusal))
    return redirect("data_batch", pk=batch.pk)
