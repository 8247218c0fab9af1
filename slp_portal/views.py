"""Pages that combine the apps: the home page, the accessibility statement, the health check."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from crime_stats.selectors import plan_table
from priorities.models import PlanVersion


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    version = PlanVersion.objects.select_related("plan").order_by("-starts_on").first()
    priorities = version.priorities.all() if version else []
    return render(
        request,
        "slp_portal/home.html",
        {"version": version, "priorities": priorities, "table": plan_table()},
    )


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
