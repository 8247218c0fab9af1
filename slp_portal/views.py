"""Pages that combine the apps: the dashboard, the board pack, the accessibility statement and
the health check."""

import sys
from contextlib import nullcontext

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.views.decorators.http import require_GET

from actions.delivery import VersionDelivery, delivery_by_priority
from actions.models import Action
from actions.spend import funding_lines
from crime_stats.models import ImportBatch
from crime_stats.panel import CrimePanel, crime_panel
from crime_stats.query_string import NotFound
from crime_stats.views.not_found import selection_not_found
from partnership.duties import duties_due
from partnership.packs import pack_header
from priorities.models import PlanVersion, WorkStream
from slp_portal.dashboard import crime_section, data_state, delivery_section


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The dashboard: where the focus CSP stands in its MSG, and how delivery is going.

    Both sections come from the cache while their data is unchanged (slp_portal/dashboard.py).
    """
    state = data_state()
    try:
        crime = crime_section(request.GET, state)
    except NotFound as problem:
        if request.GET:
            return selection_not_found(request, problem, page="home")
        crime = None  # no figures loaded yet: the page says so
    return render(
        request,
        "slp_portal/dashboard.html",
        {
            "crime": crime,
            "delivery": delivery_section(request.user, state),
            "duties_due": duties_due(request.user, timezone.localdate()),
        },
    )


PRINT_WIDTH = 680  # px: an A4 page's width inside 15 mm margins, so charts print unscaled


@require_GET
def board_pack(request: HttpRequest) -> HttpResponse:
    """A printable pack for the board: crime headline and charts, delivery, attention, spend."""
    rendered = render_board_pack(request)
    if isinstance(rendered, HttpResponse):
        return rendered
    page, _ = rendered
    return HttpResponse(page)


def render_board_pack(
    request: HttpRequest, *, meeting=None, extra: dict | None = None
) -> tuple[str, dict] | HttpResponse:
    """Return the rendered board pack and its context (or a 404 page for an unknown
    selection). With a meeting, its top shows what changed since the meeting before it;
    `extra` adds to the context (the PDF's `for_pdf`)."""
    try:
        panel = crime_panel(request.GET)
    except NotFound as problem:
        if request.GET:
            return selection_not_found(request, problem, page="board-pack")
        panel = None  # no figures loaded yet: the pack says so
    # Every figure in the pack is written as the crime table writes it (one or two places).
    with panel.precision() if panel else nullcontext():
        context = _pack(request, panel) | pack_header(request.user, timezone.localdate(), meeting)
        context |= extra or {}
        return loader.render_to_string(
            "slp_portal/board_pack.html", context, request=request
        ), context


def _pack(request: HttpRequest, panel: CrimePanel | None) -> dict:
    """Return the board pack's context."""
    version = PlanVersion.objects.select_related("plan").order_by("-starts_on").first()
    today = timezone.localdate()
    delivery = version and VersionDelivery(
        version, delivery_by_priority(version=version, user=request.user, today=today)
    )
    context = {"panel": panel, "delivery": delivery, "generated": timezone.localtime()}
    if panel:
        context |= {
            "bar_chart": _for_print(panel.bar_chart),
            "trend_chart": _for_print(panel.trend_chart),
            "funnel_chart": _for_print(panel.funnel_chart),
            "spc_chart": _for_print(panel.spc_chart),
            "sources": ImportBatch.objects.for_figures(
                period=panel.selection.period, category=panel.selection.category
            ).select_related("uploaded_by"),
        }
    if delivery:
        actions = Action.objects.visible_to(request.user).in_version(version)
        context |= {
            "attention": actions.needing_attention(today)
            .with_next_steps()
            .for_listing()
            .order_by("work_stream__priority__letter", "due_date", "title"),
            "funding": _funding_by_work_stream(actions),
        }
    return context


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
def accessibility(request: HttpRequest) -> HttpResponse:
    """Return the accessibility statement, which anyone may read without signing in."""
    return render(
        request,
        "slp_portal/accessibility.html",
        {"contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL},
    )


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


DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def server_error(request: HttpRequest) -> HttpResponse:
    """Return the portal's error page: 503 when the database is unreachable, else 500.

    Rendered without the request, so that no context processor touches the database (which may
    be the thing that failed) and nothing of the failure reaches the page.
    """
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        response = HttpResponse(
            loader.render_to_string("slp_portal/database_unavailable.html"), status=503
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponse(loader.render_to_string("slp_portal/server_error.html"), status=500)
