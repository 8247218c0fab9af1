from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from simple_history.admin import SimpleHistoryAdmin

from accounts.stale_edits import StaleEditRefusingForm
from actions.models import Action, ClosedPeriod, ProgressUpdate, ReminderSent
from actions.services import ConcurrentEditError, action_update, check_edited_version


class ActionAdminForm(forms.ModelForm):
    """The admin's action form, under the same version check as the leads' edit page.

    `edited_version` carries the version the form was loaded at; a save over a newer version is
    refused with the leads' message, and every accepted save goes through `action_update`, which
    bumps the version, so a lead's form opened before an Admin's edit cannot later overwrite it.
    """

    edited_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["edited_version"] = self.instance.version

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        try:
            check_edited_version(
                action=self.instance, edited_version=cleaned.get("edited_version") or 0
            )
        except ConcurrentEditError as conflict:
            # Keep what was typed; a second save is a deliberate overwrite of the current version.
            self.data = self.data.copy()
            self.data["edited_version"] = str(conflict.current.version)
            raise ValidationError(conflict.message) from None
        return cleaned


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
    form = ActionAdminForm
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

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            super().save_model(request, obj, form, change)
            return
        # The form has set the typed values on `obj`; the service checks the version and saves.
        action_update(
            action=obj,
            editor=request.user,
            edited_version=form.cleaned_data.get("edited_version") or 0,
            values={},
            themes=form.cleaned_data["themes"],
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ConcurrentEditError as conflict:
            # Another save landed between this form's check and its save (rolled back whole).
            self.message_user(request, conflict.message, messages.ERROR)
            return HttpResponseRedirect(request.path)


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

    form = StaleEditRefusingForm
    list_display = ["starts_on", "ends_on", "reason", "closed_by", "closed_at"]
    fields = ["starts_on", "ends_on", "reason", "loaded_values"]
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
