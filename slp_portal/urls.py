"""The portal's URLs (DESIGN.md fixes the public ones)."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView

from accounts.forms import SignInForm
from slp_portal import pack_views, plan_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("board-pack/", views.board_pack, name="board-pack"),
    path("board-pack/pdf/", pack_views.board_pack_pdf, name="board-pack-pdf"),
    path("board/<int:pk>/issue/", pack_views.issue_pack, name="issue-pack"),
    path("priorities/", plan_views.priority_list, name="priority-list"),
    path("priorities/changes/", plan_views.priority_changes, name="priority-changes"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, authentication_form=SignInForm
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("accounts.urls")),
    path("accessibility/", views.accessibility, name="accessibility"),
    # Everyone signs in through the portal's own page, which the lockout and the second factor
    # guard; the admin's own sign-in form would skip the second factor.
    path(
        "admin/login/",
        login_not_required(RedirectView.as_view(pattern_name="login", query_string=True)),
        name="admin-login",
    ),
    path("admin/", admin.site.urls),
    path("", include("crime_stats.urls")),
    path("", include("priorities.urls")),
    path("", include("actions.urls")),
    path("", include("partnership.urls")),
]

# The portal's own error page; a database outage answers 503 (slp_portal.views.server_error).
handler500 = "slp_portal.views.server_error"
