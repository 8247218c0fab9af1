from django.apps import AppConfig


class CrimeStatsConfig(AppConfig):
    name = "crime_stats"
    verbose_name = "Crime statistics"

    def ready(self) -> None:
        # A write to these models retires the dashboard's cached sections (generations/).
        from crime_stats.models import CrimeFigure
        from generations.counters import CRIME, track

        track(CrimeFigure, CRIME)
