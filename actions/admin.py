from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from actions.models import Action, ClosedPeriod, ProgressUpdate, ReminderSent


class ProgressUpdateInline(admin.TabularInline):
    model = ProgressUpdate
    fk_name = "action"
    fields = ["reported_on", "status", "indicator_value", "spend", "author", "narrative"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = [
        "title",
        "work_stream",
        "owner",
        "partner",
        "start_date",
        "due_date",
        "review_cadence",
    ]
    list_filter = ["review_cadence", "partner", "themes", "work_stream__priority__version"]
    search_fields = ["title", "description", "indicator"]
    list_select_related = ["work_stream", "owner", "partner"]
    filter_horizontal = ["themes"]
    inlines = [ProgressUpdateInline]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(admin.ModelAdmin):
    """Progress updates are append-only and come only through the progress form's service.

    The service applies the date, closed-period and correction rules; adding here would skip
    them, so the admin reads updates and never adds, changes or deletes one.
    """

    list_display = ["action", "reported_on", "status", "spend", "author", "created_at"]
    list_filter = ["status", "reported_on"]
    search_fields = ["action__title", "narrative"]
    list_select_related = ["action", "author"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ClosedPeriod)
class ClosedPeriodAdmin(admin.ModelAdmin):
    """Admins close a month or quarter once its progress has been reported to the board."""

    list_display = ["starts_on", "ends_on", "reason", "closed_by", "closed_at"]
    fields = ["starts_on", "ends_on", "reason"]
    date_hierarchy = "starts_on"

    def save_model(self, request, obj, form, change) -> None:
        obj.closed_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    """What `send_update_reminders` sent: read-only, for answering "was I reminded?"."""

    list_display = ["recipient", "action", "period_starts_on", "overdue", "sent_at"]
    list_filter = ["period_starts_on", "overdue"]
    list_select_related = ["recipient", "action"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
