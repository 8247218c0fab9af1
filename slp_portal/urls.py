"""The portal's URLs (DESIGN.md fixes the public ones)."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from slp_portal import plan_views, views

admin.site.site_header = "SLP Portal administration"
admin.site.site_title = "SLP Portal admin"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("board-pack/", views.board_pack, name="board-pack"),
    path("priorities/", plan_views.priority_list, name="priority-list"),
    path("priorities/changes/", plan_views.priority_changes, name="priority-changes"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("crime_stats.urls")),
    path("", include("priorities.urls")),
    path("", include("actions.urls")),
]
