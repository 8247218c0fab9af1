"""The one answer to a query naming a group, period, category or format that does not exist."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from crime_stats.query_string import NotFound


def selection_not_found(
    request: HttpRequest, problem: NotFound, *, page: str, as_json: bool = False
) -> HttpResponse:
    """Return a 404 that says what does not exist, linking to `page`'s latest figures."""
    if as_json:
        return JsonResponse({"error": str(problem)}, status=404)
    context = {"problem": problem, "page": page}
    return render(request, "crime_stats/selection_not_found.html", context, status=404)
