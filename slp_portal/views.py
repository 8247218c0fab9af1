"""The chair's dashboard and the health check."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from actions.charts import delivery_chart
from actions.delivery import delivery_by_priority
from crime_stats.panel import crime_panel
from crime_stats.selection import NotFound
from priorities.models import PlanVersion


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
