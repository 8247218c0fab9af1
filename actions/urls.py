from django.urls import path

from actions import views

app_name = "actions"

urlpatterns = [
    path("actions/", views.tracker, name="tracker"),
    path("actions/mine/", views.my_actions, name="mine"),
    path("actions/new/", views.action_create, name="create"),
    path("actions/<int:pk>/", views.action_detail, name="detail"),
    path("actions/<int:pk>/edit/", views.action_edit, name="edit"),
    path("actions/<int:pk>/update/", views.log_progress, name="update"),
]
