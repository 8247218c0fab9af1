"""The data-loading pages (Admin only): batches, upload → preview → confirm, undo."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.roles import is_admin
from crime_stats.forms import ConfirmForm, UploadForm
from crime_stats.importers import ImportOptions, ImportRefused, confirm_upload, undo_batch
from crime_stats.importers.batches import preview_upload
from crime_stats.models import ImportBatch, ImportUpload


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
        batch = preview_upload(
            content=file.read(),
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


@require_GET
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _get_batch_for_admin(request, pk)
    preview = _preview(batch)
    form = ConfirmForm(
        unknown_csps=len(preview.get("unknown_csps", [])),
        implausible=preview.get("implausible_total", 0),
    )
    return render(
        request,
        "crime_stats/data_batch.html",
        {"batch": batch, "preview": preview, "form": form, **_confirmable(batch, preview)},
    )


def _confirmable(batch: ImportBatch, preview: dict) -> dict:
    """Return whether the preview may be confirmed, and the problems that stop it otherwise."""
    blocking = preview.get("problems", [])
    changes = preview.get("created_total", 0) + preview.get("updated_total", 0)
    return {
        "blocking": blocking,
        "can_confirm": batch.status == ImportBatch.Status.PREVIEWED
        and not blocking
        and changes > 0,
    }


@require_POST
def batch_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _get_batch_for_admin(request, pk)
    preview = _preview(batch)
    form = ConfirmForm(
        request.POST,
        unknown_csps=len(preview.get("unknown_csps", [])),
        implausible=preview.get("implausible_total", 0),
    )
    if not form.is_valid():
        context = {"batch": batch, "preview": preview, "form": form, **_confirmable(batch, preview)}
        return render(request, "crime_stats/data_batch.html", context, status=400)
    try:
        outcome = confirm_upload(
            batch=batch, user=request.user, skip_unknown_csps=form.cleaned_data["skip_unknown_csps"]
        )
    except ImportRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("data_batch", pk=batch.pk)
    if not outcome.committed:
        messages.error(request, "Nothing was loaded: the file no longer loads as previewed.")
        return redirect("data_batch", pk=batch.pk)
    batch = outcome.batch
    messages.success(
        request,
        f"Loaded {batch.file_name}: {batch.rows_created:,} figures created, "
        f"{batch.rows_updated:,} revised, {batch.rows_unchanged:,} unchanged.",
    )
    return redirect("data_batches")


@require_http_methods(["GET", "POST"])
def batch_undo(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _get_batch_for_admin(request, pk)
    if request.method == "POST":
        try:
            count = undo_batch(batch=batch, user=request.user)
        except ImportRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request, f"Undid {batch.file_name}: {count:,} figures restored as they were."
            )
        return redirect("data_batches")
    changes = batch.changes.select_related("csp", "period").order_by("period__start", "category")
    return render(
        request,
        "crime_stats/data_undo.html",
        {"batch": batch, "changes": changes[:200], "change_count": batch.changes.count()},
    )
