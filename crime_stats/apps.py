from django.apps import AppConfig


class CrimeStatsConfig(AppConfig):
    name = "crime_stats"
    verbose_name = "Crime statistics"
