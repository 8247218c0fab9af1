from django.apps import AppConfig


class PrioritiesConfig(AppConfig):
    name = "priorities"
    verbose_name = "Plan and priorities"

    def ready(self) -> None:
        # A write to these models retires the dashboard's cached sections (generations/).
        from generations.counters import DELIVERY, track
        from priorities.models import FundingAllocation, PlanVersion, WorkStream

        track(FundingAllocation, DELIVERY)
        track(PlanVersion, DELIVERY)
        track(WorkStream, DELIVERY)
