"""The chair's dashboard and the health check."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from actions.charts import delivery_chart
from actions.delivery import delivery_by_priority
from actions.models import Action
from actions.spend import funding_lines
from crime_stats.models import ImportBatch
from crime_stats.panel import crime_panel
from crime_stats.selection import NotFound
from priorities.models import PlanVersion, WorkStream


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The dashboard: where the focus CSP stands in its MSG, and how delivery is going."""
    try:
        panel = crime_panel(request.GET)
    except NotFound as problem:
        if request.GET:
            return render(request, "slp_portal/dashboard.html", {"problem": problem}, status=404)
        panel = None  # nothing loaded yet: the page says so
    version = PlanVersion.objects.select_related("plan").order_by("-starts_on").first()
    delivery = (
        delivery_by_priority(version=version, user=request.user, today=timezone.localdate())
        if version
        else []
    )
    return render(
        request,
        "slp_portal/dashboard.html",
        {
            "panel": panel,
            "version": version,
            "delivery": delivery,
            "delivery_chart": delivery_chart(delivery, title="Actions by current status"),
        },
    )


PRINT_WIDTH = 680  # px: an A4 page's width inside 15 mm margins, so charts print unscaled


@require_GET
def board_pack(request: HttpRequest) -> HttpResponse:
    """A printable pack for the board: crime headline and charts, delivery, attention, spend."""
    today = timezone.localdate()
    try:
        panel = crime_panel(request.GET)
    except NotFound as problem:
        if request.GET:
            return render(request, "slp_portal/dashboard.html", {"problem": problem}, status=404)
        panel = None
    version = PlanVersion.objects.select_related("plan").order_by("-starts_on").first()
    context = {"panel": panel, "version": version, "generated": timezone.localtime()}
    if panel:
        context |= {
            "bar_chart": _for_print(panel.bar_chart),
            "trend_chart": _for_print(panel.trend_chart),
            "sources": ImportBatch.objects.for_figures(
                period=panel.selection.period, category=panel.selection.category
            ).select_related("uploaded_by"),
        }
    if version:
        actions = Action.objects.visible_to(request.user).in_version(version)
        context |= {
            "delivery": delivery_by_priority(version=version, user=request.user, today=today),
            "attention": actions.needing_attention(today)
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
