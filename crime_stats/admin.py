from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.stale_edits import StaleEditRefusingForm
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
    form = StaleEditRefusingForm
    list_display = ["label", "force", "name", "ons_code"]
    list_filter = ["force"]
    search_fields = ["name", "force", "ons_code"]


class GroupMembershipInline(admin.TabularInline):
    form = StaleEditRefusingForm
    model = GroupMembership
    autocomplete_fields = ["csp"]
    extra = 0


@admin.register(ComparisonGroup)
class ComparisonGroupAdmin(admin.ModelAdmin):
    form = StaleEditRefusingForm
    list_display = ["name", "focus"]
    search_fields = ["name", "focus__name"]
    inlines = [GroupMembershipInline]


@admin.register(GroupMembership)
class GroupMembershipAdmin(admin.ModelAdmin):
    form = StaleEditRefusingForm
    list_display = ["group", "csp", "valid_from", "valid_to"]
    list_filter = ["group", "valid_from"]
    search_fields = ["csp__name", "csp__force"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    form = StaleEditRefusingForm
    list_display = ["label", "slug", "start", "end"]
    search_fields = ["label", "slug"]
    prepopulated_fields = {"slug": ["label"]}


FIGURES_READ_ONLY = (
    "Crime figures are read-only here: they change only through Load data (upload, preview, "
    "confirm), which records where each figure came from and can undo a whole import. "
    "To correct a figure, load a file with the corrected row."
)


@admin.register(CrimeFigure)
class CrimeFigureAdmin(SimpleHistoryAdmin):
    """Figures are read here, never changed: an edit here would be lost (or kept) unseen by undo.

    Undoing an import restores the values the batch replaced; a figure changed by hand in
    between would be overwritten without a trace in the batch, so only imports change figures.
    """

    list_display = ["csp", "period", "category", "rate", "offences", "population", "batch"]
    list_filter = ["period", "category", "csp__force"]
    search_fields = ["csp__name", "csp__force", "category"]
    list_select_related = ["csp", "period", "batch"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(
            request, {**(extra_context or {}), "subtitle": FIGURES_READ_ONLY}
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return super().change_view(
            request, object_id, form_url, {**(extra_context or {}), "subtitle": FIGURES_READ_ONLY}
        )


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
