"""Population estimates (Admin only): the stored estimates, upload → preview → confirm, undo."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Max, Min
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crime_stats.forms import PopulationUploadForm
from crime_stats.importers.batches import ImportRefused
from crime_stats.importers.population_batches import (
    confirm_populations,
    preview_populations,
    undo_populations,
)
from crime_stats.models import ImportBatch, ImportUpload, PopulationEstimate
from crime_stats.views.data import _require_admin


def _get_population_batch(request: HttpRequest, pk: int) -> ImportBatch:
    """Return a population load for an Admin; 403 for anyone else, 404 for any other batch."""
    _require_admin(request)
    return get_object_or_404(
        ImportBatch.objects.select_related("uploaded_by"),
        pk=pk,
        format=ImportBatch.Format.POPULATION,
    )


@require_GET
def population_list(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    years = (
        PopulationEstimate.objects.values("year")
        .annotate(csps=Count("csp"), smallest=Min("population"), largest=Max("population"))
        .order_by("-year")
    )
    batches = ImportBatch.objects.filter(format=ImportBatch.Format.POPULATION).select_related(
        "uploaded_by"
    )[:50]
    return render(request, "crime_stats/populations.html", {"years": years, "batches": batches})


@require_http_methods(["GET", "POST"])
def population_upload(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = PopulationUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        batch = preview_populations(
            content=file.read(),
            file_name=file.name,
            year=form.cleaned_data["year"],
            user=request.user,
        )
        return redirect("population_batch", pk=batch.pk)
    return render(request, "crime_stats/population_upload.html", {"form": form})


@require_GET
def population_batch(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _get_population_batch(request, pk)
    upload = ImportUpload.objects.filter(batch=batch).only("preview").first()
    preview = upload.preview if upload else {}
    changes = preview.get("created_total", 0) + preview.get("updated_total", 0)
    return render(
        request,
        "crime_stats/population_batch.html",
        {
            "batch": batch,
            "preview": preview,
            "can_confirm": batch.status == ImportBatch.Status.PREVIEWED
            and not preview.get("problems")
            and changes > 0,
            "estimates": batch.population_estimates.select_related("csp").order_by(
                "year", "csp__force", "csp__name"
            )[:500],
        },
    )


@require_POST
def population_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _get_population_batch(request, pk)
    try:
        plan = confirm_populations(batch=batch)
    except ImportRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("population_batch", pk=batch.pk)
    if not plan.can_commit:
        messages.error(request, "Nothing was loaded: the file no longer loads as previewed.")
        return redirect("population_batch", pk=batch.pk)
    messages.success(
        request,
        f"Loaded {batch.file_name}: {len(plan.created):,} estimates created, "
        f"{len(plan.updated):,} revised, {len(plan.unchanged):,} unchanged.",
    )
    return redirect("population_list")


@require_http_methods(["GET", "POST"])
def population_undo(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _get_population_batch(request, pk)
    if request.method == "POST":
        try:
            count = undo_populations(batch=batch)
        except ImportRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request, f"Undid {batch.file_name}: {count:,} estimates restored as they were."
            )
        return redirect("population_list")
    return render(request, "crime_stats/population_undo.html", {"batch": batch})
