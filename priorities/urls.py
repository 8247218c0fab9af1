from django.urls import path

from priorities import views

app_name = "priorities"

urlpatterns = [
    path(
        "priorities/<int:priority_pk>/work-streams/new/",
        views.work_stream_create,
        name="work_stream_create",
    ),
    path(
        "priorities/work-streams/<int:pk>/edit/",
        views.work_stream_edit,
        name="work_stream_edit",
    ),
]
