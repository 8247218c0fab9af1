from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

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
    list_display = ["name"]
    search_fields = ["name"]


class PlanVersionInline(admin.TabularInline):
    model = PlanVersion
    prepopulated_fields = {"slug": ["name"]}
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_on", "ends_on"]
    search_fields = ["title", "vision"]
    inlines = [PlanVersionInline]


class PriorityInline(admin.StackedInline):
    model = Priority
    extra = 0


@admin.register(PlanVersion)
class PlanVersionAdmin(admin.ModelAdmin):
    list_display = ["name", "plan", "starts_on", "ends_on"]
    list_filter = ["plan"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PriorityInline]


@admin.register(Priority)
class PriorityAdmin(admin.ModelAdmin):
    list_display = ["letter", "wording", "version", "strategic_lead"]
    list_filter = ["version", "letter"]
    search_fields = ["wording"]
    list_select_related = ["version", "strategic_lead"]


@admin.register(CrossCuttingTheme)
class CrossCuttingThemeAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name", "description"]


class FundingAllocationInline(admin.TabularInline):
    model = FundingAllocation
    extra = 0


@admin.register(WorkStream)
class WorkStreamAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "priority", "strategic_lead"]
    list_filter = ["kind", "priority__version", "priority__letter"]
    search_fields = ["name", "description"]
    list_select_related = ["priority__version", "strategic_lead"]
    inlines = [FundingAllocationInline]


@admin.register(FundingAllocation)
class FundingAllocationAdmin(SimpleHistoryAdmin):
    list_display = ["work_stream", "financial_year", "amount"]
    list_filter = ["financial_year"]
    search_fields = ["work_stream__name"]
