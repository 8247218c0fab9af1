"""The chair's dashboard and the health check."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from actions.models import Action
from actions.panel import DeliveryPanel
from actions.spend import funding_lines
from crime_stats.models import ImportBatch
from crime_stats.panel import CrimePanel, crime_panel
from crime_stats.selection import NotFound
from priorities.models import PlanVersion, WorkStream


class SelectionNotFound(Exception):
    """The query string names a group, period or category that does not exist."""


def _panels(request: HttpRequest) -> tuple[CrimePanel | None, DeliveryPanel | None]:
    """Return the crime panel for the query string and the latest version's delivery panel.

    Either is None when there is nothing to show yet (no figures loaded, no plan); a query
    string naming something that does not exist raises SelectionNotFound.
    """
    try:
        panel = crime_panel(request.GET)
    except NotFound as problem:
        if request.GET:
            raise SelectionNotFound(str(problem)) from problem
        panel = None
    version = PlanVersion.objects.select_related("plan").order_by("-starts_on").first()
    delivery = (
        DeliveryPanel(version=version, user=request.user, today=timezone.localdate())
        if version
        else None
    )
    return panel, delivery


def _not_found(request: HttpRequest, problem: SelectionNotFound, page: str) -> HttpResponse:
    return render(
        request,
        "slp_portal/selection_not_found.html",
        {"problem": problem, "page": page},
        status=404,
    )


# The rendered sections also expire after this long, so an edit the data-version keys cannot
# see (a CSP renamed or a membership redrawn in the Django admin) shows within ten minutes.
DASHBOARD_CACHE_SECONDS = 600


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The dashboard: where the focus CSP stands in its MSG, and how delivery is going.

    Both sections are cached as rendered HTML under keys that change with the data they show
    (see CrimePanel.cache_key and DeliveryPanel.cache_key), so a repeat visit costs a few
    index lookups instead of the comparison engine, three charts and a 300-row table.
    """
    try:
        panel, delivery = _panels(request)
    except SelectionNotFound as problem:
        return _not_found(request, problem, "home")
    return render(
        request,
        "slp_portal/dashboard.html",
        {"panel": panel, "delivery": delivery, "cache_seconds": DASHBOARD_CACHE_SECONDS},
    )


PRINT_WIDTH = 680  # px: an A4 page's width inside 15 mm margins, so charts print unscaled


@require_GET
def board_pack(request: HttpRequest) -> HttpResponse:
    """A printable pack for the board: crime headline and charts, delivery, attention, spend."""
    try:
        panel, delivery = _panels(request)
    except SelectionNotFound as problem:
        return _not_found(request, problem, "board-pack")
    context = {"panel": panel, "delivery": delivery, "generated": timezone.localtime()}
    if panel:
        context |= {
            "bar_chart": _for_print(panel.bar_chart),
            "trend_chart": _for_print(panel.trend_chart),
            "sources": ImportBatch.objects.for_figures(
                period=panel.selection.period, category=panel.selection.category
            ).select_related("uploaded_by"),
        }
    if delivery:
        actions = Action.objects.visible_to(request.user).in_version(delivery.version)
        context |= {
            "attention": actions.needing_attention(delivery.today)
            .with_next_steps()
            .for_listing()
            .order_by("work_stream__priority__letter", "due_date", "title"),
            "funding": _funding_by_work_stream(actions),
        }
    return render(request, "slp_portal/board_pack.html", context)


def _for_print(figure: dict | None) -> dict | None:
    """Return a copy of the figure at a fixed width that fits an A4 page."""
    if figure is None:
        return None
    return {**figure, "layout": {**figure["layout"], "width": PRINT_WIDTH}}


def _funding_by_work_stream(actions) -> list[tuple[WorkStream, list]]:
    """Return the work-streams behind `actions` with their funding lines, by priority."""
    streams = list(
        WorkStream.objects.filter(pk__in=actions.values("work_stream_id"))
        .select_related("priority")
        .order_by("priority__letter", "name")
    )
    lines = funding_lines(streams)
    return [(stream, lines[stream.pk]) for stream in streams]


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Return 200 `ok` when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # any database failure means "not healthy"
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
