from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.stale_edits import StaleEditRefusingForm
from partnership.models import (
    BoardMeeting,
    Duty,
    DutyOccurrence,
    IndicatorValue,
    IssuedPack,
    OutcomeIndicator,
)


@admin.register(BoardMeeting)
class BoardMeetingAdmin(admin.ModelAdmin):
    form = StaleEditRefusingForm
    list_display = ["held_on", "title", "created_by"]


@admin.register(IssuedPack)
class IssuedPackAdmin(admin.ModelAdmin):
    """Issued packs are frozen: the admin may read them, never change them."""

    list_display = ["meeting", "issued_at", "issued_by", "sha256"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Duty)
class DutyAdmin(admin.ModelAdmin):
    form = StaleEditRefusingForm
    list_display = ["title", "cadence", "receiving_body", "restricted"]
    list_editable = ["receiving_body"]


@admin.register(DutyOccurrence)
class DutyOccurrenceAdmin(SimpleHistoryAdmin):
    form = StaleEditRefusingForm
    list_display = ["duty", "label", "due_on", "owner", "status"]
    list_filter = ["status", "duty"]


@admin.register(OutcomeIndicator)
class OutcomeIndicatorAdmin(admin.ModelAdmin):
    form = StaleEditRefusingForm
    list_display = ["priority", "name", "source", "category", "target", "direction"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(SimpleHistoryAdmin):
    form = StaleEditRefusingForm
    list_display = ["indicator", "quarter_ends_on", "value", "entered_by"]
