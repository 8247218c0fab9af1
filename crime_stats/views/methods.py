"""/methods/: every definition and formula the portal uses, with its source."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def methods(request: HttpRequest) -> HttpResponse:
    """Return the methods page (static text; every chart and table links to a paragraph)."""
    return render(request, "crime_stats/methods.html")
