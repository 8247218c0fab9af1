"""Forms of the actions pages: the SMART action, a progress update and the tracker's filters.

Forms validate and lay out (crispy's FormHelper); the services in `actions.services` save.
"""

from __future__ import annotations

import uuid

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout, Submit
from django import forms
from django.contrib.auth.models import User
from django.db.models import QuerySet

from accounts.roles import Role
from actions.models import (
    NEEDS_INDICATOR,
    NEEDS_OWNER,
    NEEDS_TARGET,
    NEEDS_UNIT,
    Action,
    ActionQuerySet,
    ProgressUpdate,
    RagStatus,
)
from priorities.forms import PersonChoiceField
from priorities.models import CrossCuttingTheme, Partner, PlanVersion, Priority, WorkStream

NO_UPDATE_YET = "none"
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def action_owner_choices() -> QuerySet[User]:
    """Return the active people who may own an action: strategic leads and action owners."""
    return (
        User.objects.filter(
            is_active=True, groups__name__in=[Role.STRATEGIC_LEAD, Role.ACTION_OWNER]
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class ActionForm(forms.ModelForm):
    """A SMART action, field by field; `edited_version` carries the version the edit began from."""

    edited_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    owner = PersonChoiceField(
        queryset=User.objects.none(),
        error_messages={"required": NEEDS_OWNER},
        help_text="The person who reports progress on the action.",
    )

    class Meta:
        model = Action
        fields = [
            "work_stream",
            "title",
            "description",
            "indicator",
            "baseline",
            "target",
            "unit",
            "owner",
            "partner",
            "resources",
            "funding",
            "start_date",
            "due_date",
            "review_cadence",
            "themes",
        ]
        labels = {"funding": "SLP funding (£)", "description": "What will be done"}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "resources": forms.Textarea(attrs={"rows": 2}),
            "start_date": DATE_WIDGET,
            "due_date": DATE_WIDGET,
            "themes": forms.CheckboxSelectMultiple,
        }
        error_messages = {
            "indicator": {"required": NEEDS_INDICATOR},
            "target": {"required": NEEDS_TARGET},
            "unit": {"required": NEEDS_UNIT},
        }

    def __init__(self, *args, work_streams: QuerySet[WorkStream], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["work_stream"].queryset = work_streams.select_related("priority")
        self.fields["work_stream"].label_from_instance = lambda ws: (
            f"{ws.priority.letter}. {ws.name}"
        )
        self.fields["owner"].queryset = action_owner_choices()
        self.fields["themes"].required = False
        if self.instance.pk and not self.is_bound:
            self.initial["edited_version"] = self.instance.version
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "edited_version",
            Fieldset("Specific", "work_stream", "title", "description"),
            Fieldset(
                "Measurable",
                "indicator",
                Div(
                    Div("baseline", css_class="col-md-4"),
                    Div("target", css_class="col-md-4"),
                    Div("unit", css_class="col-md-4"),
                    css_class="row",
                ),
            ),
            Fieldset(
                "Achievable",
                Div(
                    Div("owner", css_class="col-md-6"),
                    Div("partner", css_class="col-md-6"),
                    css_class="row",
                ),
            ),
            Fieldset("Realistic", "resources", "funding"),
            Fieldset(
                "Timely",
                Div(
                    Div("start_date", css_class="col-md-4"),
                    Div("due_date", css_class="col-md-4"),
                    Div("review_cadence", css_class="col-md-4"),
                    css_class="row",
                ),
            ),
            Fieldset("Cross-cutting themes", "themes"),
            Submit("save", "Save action"),
        )

    def model_values(self) -> dict:
        """Return the cleaned model field values except the work-stream and themes."""
        skip = {"work_stream", "themes", "edited_version"}
        return {k: v for k, v in self.cleaned_data.items() if k not in skip}


class ProgressUpdateForm(forms.ModelForm):
    """One progress report on an action; a correction names the update it replaces.

    `submission_key` is the form's idempotency key: new for each form shown, the same when
    the form is sent twice, so the second sending stores nothing more.
    """

    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ProgressUpdate
        fields = [
            "reported_on",
            "status",
            "indicator_value",
            "spend",
            "narrative",
            "next_steps",
            "corrects",
        ]
        labels = {
            "reported_on": "Date of the update",
            "indicator_value": "Value of the indicator",
            "spend": "Spend in the period (£)",
            "narrative": "What happened",
            "corrects": "This corrects an earlier update (optional)",
        }
        widgets = {
            "reported_on": DATE_WIDGET,
            "narrative": forms.Textarea(attrs={"rows": 4}),
            "next_steps": forms.Textarea(attrs={"rows": 2}),
            "status": forms.RadioSelect,
        }

    def __init__(self, *args, action: Action, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.action = action
        if not self.is_bound:
            self.initial["submission_key"] = uuid.uuid4()
        self.fields["status"].choices = RagStatus.choices
        self.fields["indicator_value"].help_text = f"{action.indicator} ({action.unit})"
        corrects = self.fields["corrects"]
        corrects.queryset = action.updates.latest_first()
        corrects.label_from_instance = lambda u: (
            f"{u.reported_on:%-d %b %Y}: {u.get_status_display()}, £{u.spend:,.2f}"
        )
        corrects.empty_label = "No: this is a new update"
        corrects.help_text = "A correction keeps the date of the update it corrects."
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "submission_key",
            Div(
                Div("reported_on", css_class="col-md-4"),
                Div("indicator_value", css_class="col-md-4"),
                Div("spend", css_class="col-md-4"),
                css_class="row",
            ),
            "status",
            "narrative",
            "next_steps",
            "corrects",
            Submit("save", "Log progress"),
        )


class TrackerFilterForm(forms.Form):
    """The tracker's filters; every choice list is limited to what the user may read."""

    version = forms.ModelChoiceField(
        PlanVersion.objects.all(), required=False, empty_label="All", label="Plan version"
    )
    priority = forms.ModelChoiceField(Priority.objects.none(), required=False, empty_label="All")
    work_stream = forms.ModelChoiceField(
        WorkStream.objects.none(), required=False, empty_label="All", label="Work-stream"
    )
    partner = forms.ModelChoiceField(Partner.objects.all(), required=False, empty_label="All")
    theme = forms.ModelChoiceField(
        CrossCuttingTheme.objects.all(), required=False, empty_label="All"
    )
    status = forms.ChoiceField(
        choices=[("", "All"), *RagStatus.choices, (NO_UPDATE_YET, "No update yet")],
        required=False,
    )
    overdue = forms.ChoiceField(
        choices=[("", "All"), ("yes", "Overdue only"), ("no", "Not overdue")], required=False
    )

    def __init__(self, *args, priorities: QuerySet[Priority], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = priorities.select_related("version")
        self.fields["priority"].label_from_instance = lambda p: (
            f"{p.version.name}: {p.letter}. {p.wording[:70]}"
        )
        self.fields["work_stream"].queryset = WorkStream.objects.filter(
            priority__in=priorities
        ).select_related("priority")
        self.fields["work_stream"].label_from_instance = lambda ws: (
            f"{ws.priority.letter}. {ws.name}"
        )
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "tracker-filters row g-2 align-items-end"
        self.helper.layout = Layout(
            *(Div(name, css_class="col-sm-6 col-lg-3") for name in self.fields),
            Div(Submit("", "Filter", css_class="btn-primary"), css_class="col-sm-6 col-lg-3 mb-3"),
        )
        self.helper.disable_csrf = True

    def apply(self, actions: ActionQuerySet, today) -> ActionQuerySet:
        """Return `actions` narrowed by the valid filters (an invalid choice filters nothing)."""
        self.is_valid()
        data = self.cleaned_data
        if data.get("version"):
            actions = actions.in_version(data["version"])
        if data.get("priority"):
            actions = actions.for_priority(data["priority"])
        if data.get("work_stream"):
            actions = actions.for_work_stream(data["work_stream"])
        if data.get("partner"):
            actions = actions.for_partner(data["partner"])
        if data.get("theme"):
            actions = actions.with_theme(data["theme"])
        if data.get("status"):
            status = "" if data["status"] == NO_UPDATE_YET else data["status"]
            actions = actions.with_status(status)
        if data.get("overdue") == "yes":
            actions = actions.overdue(today)
        elif data.get("overdue") == "no":
            actions = actions.not_overdue(today)
        return actions
