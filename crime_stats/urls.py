from django.urls import path

from crime_stats.views import comparison, data, methods, populations

urlpatterns = [
    path("comparison/", comparison.comparison, name="comparison"),
    path("methods/", methods.methods, name="methods"),
    path("data/", data.batch_list, name="data_batches"),
    path("data/upload/", data.upload, name="data_upload"),
    path("data/<int:pk>/", data.batch_detail, name="data_batch"),
    path("data/<int:pk>/confirm/", data.batch_confirm, name="data_confirm"),
    path("data/<int:pk>/undo/", data.batch_undo, name="data_undo"),
    path("data/populations/", populations.population_list, name="population_list"),
    path("data/populations/upload/", populations.population_upload, name="population_upload"),
    path("data/populations/<int:pk>/", populations.population_batch, name="population_batch"),
    path(
        "data/populations/<int:pk>/confirm/",
        populations.population_confirm,
        name="population_confirm",
    ),
    path("data/populations/<int:pk>/undo/", populations.population_undo, name="population_undo"),
    path("data/<int:pk>/progress/", data.batch_progress, name="data_progress"),
    path("data/<int:pk>/cancel/", data.batch_cancel, name="data_cancel"),
    path("data/<int:pk>/rerun/", data.batch_rerun, name="data_rerun"),
]
