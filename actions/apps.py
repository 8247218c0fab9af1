from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = "SMART actions and progress"

    def ready(self) -> None:
        # A write to these models retires the dashboard's cached sections (generations/).
        from actions.models import Action, ProgressUpdate
        from generations.counters import DELIVERY, track

        track(Action, DELIVERY)
        track(ProgressUpdate, DELIVERY)
