from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from crime_stats.models import (
    CSP,
    ComparisonGroup,
    CrimeFigure,
    GroupMembership,
    ImportBatch,
    ReportingPeriod,
)


@admin.register(CSP)
class CSPAdmin(admin.ModelAdmin):
    list_display = ["label", "force", "name", "ons_code"]
    list_filter = ["force"]
    search_fields = ["name", "force", "ons_code"]


class GroupMembershipInline(admin.TabularInline):
    model = GroupMembership
    autocomplete_fields = ["csp"]
    extra = 0


@admin.register(ComparisonGroup)
class ComparisonGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "focus"]
    search_fields = ["name", "focus__name"]
    inlines = [GroupMembershipInline]


@admin.register(GroupMembership)
class GroupMembershipAdmin(admin.ModelAdmin):
    list_display = ["group", "csp", "valid_from", "valid_to"]
    list_filter = ["group", "valid_from"]
    search_fields = ["csp__name", "csp__force"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ["label", "slug", "start", "end"]
    search_fields = ["label", "slug"]
    prepopulated_fields = {"slug": ["label"]}


@admin.register(CrimeFigure)
class CrimeFigureAdmin(SimpleHistoryAdmin):
    list_display = ["csp", "period", "category", "rate", "offences", "population", "batch"]
    list_filter = ["period", "category", "csp__force"]
    search_fields = ["csp__name", "csp__force", "category"]
    list_select_related = ["csp", "period", "batch"]
    raw_id_fields = ["batch"]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = [
        "file_name",
        "format",
        "status",
        "uploaded_by",
        "created_at",
        "rows_read",
        "rows_created",
        "rows_updated",
        "rows_rejected",
    ]
    list_filter = ["status", "format"]
    search_fields = ["file_name", "sha256"]
    readonly_fields = [f.name for f in ImportBatch._meta.fields]

    def has_add_permission(self, request) -> bool:
        # Batches come only from the import pipeline, which records their provenance.
        return False
