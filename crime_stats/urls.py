from django.urls import path

from crime_stats.views import comparison

urlpatterns = [
    path("comparison/", comparison.comparison, name="comparison"),
]
