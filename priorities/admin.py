from django.contrib import admin
from django.db.models import F
from simple_history.admin import SimpleHistoryAdmin

from accounts.stale_edits import StaleEditRefusingForm
from priorities.models import (
    CrossCuttingTheme,
    FundingAllocation,
    Partner,
    Plan,
    PlanVersion,
    Priority,
    WorkStream,
)


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    form = StaleEditRefusingForm
    list_display = ["name"]
    search_fields = ["name"]


class PlanVersionInline(admin.TabularInline):
    form = StaleEditRefusingForm
    model = PlanVersion
    prepopulated_fields = {"slug": ["name"]}
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    form = StaleEditRefusingForm
    list_display = ["title", "starts_on", "ends_on"]
    search_fields = ["title", "vision"]
    inlines = [PlanVersionInline]


class PriorityInline(admin.StackedInline):
    form = StaleEditRefusingForm
    model = Priority
    extra = 0


@admin.register(PlanVersion)
class PlanVersionAdmin(admin.ModelAdmin):
    form = StaleEditRefusingForm
    list_display = ["name", "plan", "starts_on", "ends_on"]
    list_filter = ["plan"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PriorityInline]


@admin.register(Priority)
class PriorityAdmin(admin.ModelAdmin):
    form = StaleEditRefusingForm
    list_display = ["letter", "wording", "version", "strategic_lead"]
    list_filter = ["version", "letter"]
    search_fields = ["wording"]
    list_select_related = ["version", "strategic_lead"]


@admin.register(CrossCuttingTheme)
class CrossCuttingThemeAdmin(admin.ModelAdmin):
    form = StaleEditRefusingForm
    list_display = ["name"]
    search_fields = ["name", "description"]


class FundingAllocationInline(admin.TabularInline):
    form = StaleEditRefusingForm
    model = FundingAllocation
    extra = 0


@admin.register(WorkStream)
class WorkStreamAdmin(SimpleHistoryAdmin):
    form = StaleEditRefusingForm
    list_display = ["name", "kind", "priority", "strategic_lead"]
    list_filter = ["kind", "priority__version", "priority__letter"]
    search_fields = ["name", "description"]
    list_select_related = ["priority__version", "strategic_lead"]
    inlines = [FundingAllocationInline]

    def save_model(self, request, obj, form, change) -> None:
        # A saved edit moves the version on, so a lead's form loaded before it is refused.
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)


@admin.register(FundingAllocation)
class FundingAllocationAdmin(SimpleHistoryAdmin):
    form = StaleEditRefusingForm
    list_display = ["work_stream", "financial_year", "amount"]
    list_filter = ["financial_year"]
    search_fields = ["work_stream__name"]

    def save_model(self, request, obj, form, change) -> None:
        # Funding is edited on the work-stream's page too: move its version on.
        super().save_model(request, obj, form, change)
        WorkStream.objects.filter(pk=obj.work_stream_id).update(version=F("version") + 1)
