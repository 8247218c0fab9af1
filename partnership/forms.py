"""Forms of the partnership pages: a meeting, two dates to compare."""

from __future__ import annotations

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings

from crime_stats.importers.readers import UnreadableFile
from partnership.evidence import ACCEPTED, Evidence, checked_evidence
from partnership.models import (
    NOT_A_QUARTER_END,
    PAPERS_MAX_LENGTH,
    QUARTER_ENDS,
    BoardMeeting,
    OccurrenceStatus,
)
from partnership.services import DONE_NEEDS_DATE

LATER_THAN_END = "The first date must be on or before the last date."


class DateInput(forms.DateInput):
    input_type = "date"


class MeetingForm(forms.ModelForm):
    """A new board meeting: its date, title and papers."""

    class Meta:
        model = BoardMeeting
        fields = ["held_on", "title", "papers"]
        widgets = {"held_on": DateInput(), "papers": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["papers"].max_length = PAPERS_MAX_LENGTH
        self.helper = FormHelper()
        self.helper.add_input(Submit("create", "Add the meeting"))

    def validate_unique(self) -> None:
        # Say what to do, not just "already exists".
        try:
            super().validate_unique()
        except forms.ValidationError:
            raise
        held_on = self.cleaned_data.get("held_on")
        if held_on and BoardMeeting.objects.filter(held_on=held_on).exists():
            self.add_error("held_on", "There is already a meeting on this date: open it instead.")


class CompareForm(forms.Form):
    """Any two dates: what changed from the first to the last, inclusive."""

    first = forms.DateField(label="From", widget=DateInput())
    last = forms.DateField(label="To (inclusive)", widget=DateInput())

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "row g-2 align-items-end"
        self.helper.add_input(Submit("compare", "Show what changed"))

    def clean(self) -> dict:
        data = super().clean()
        if data.get("first") and data.get("last") and data["first"] > data["last"]:
            raise forms.ValidationError(LATER_THAN_END)
        return data


class OccurrenceForm(forms.Form):
    """An occurrence's status and evidence: a link, an uploaded document, or both."""

    status = forms.ChoiceField(choices=OccurrenceStatus.choices)
    completed_on = forms.DateField(label="Done on", required=False, widget=DateInput())
    evidence_link = forms.URLField(
        label="Evidence link",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="Where the published document is, for example on the council's website.",
    )
    evidence = forms.FileField(
        label="Evidence document",
        required=False,
        help_text=f"A {ACCEPTED} file; Word documents: save as PDF first.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        limit = settings.IMPORT_MAX_UPLOAD_BYTES / (1024 * 1024)
        self.fields["evidence"].help_text += f" At most {limit:,.0f} MB."
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", "Save"))

    def clean_evidence(self) -> Evidence | None:
        upload = self.cleaned_data.get("evidence")
        if upload is None:
            return None
        try:
            return checked_evidence(upload)
        except UnreadableFile as problem:
            raise forms.ValidationError(f"{upload.name}: {problem}") from problem

    def clean(self) -> dict:
        data = super().clean()
        if data.get("status") == OccurrenceStatus.DONE and not data.get("completed_on"):
            self.add_error("completed_on", DONE_NEEDS_DATE)
        return data


class IndicatorValueForm(forms.Form):
    """A local indicator's value for one quarter."""

    quarter_ends_on = forms.DateField(
        label="Quarter ending",
        widget=DateInput(),
        help_text="The last day of the quarter: 30 June, 30 September, 31 December or 31 March.",
    )
    value = forms.DecimalField(max_digits=14, decimal_places=3)
    note = forms.CharField(
        required=False, max_length=500, help_text="Anything the board should know."
    )

    def __init__(self, *args, unit: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if unit:
            self.fields["value"].label = f"Value ({unit})"
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", "Save the value"))

    def clean_quarter_ends_on(self) -> datetime.date:
        day = self.cleaned_data["quarter_ends_on"]
        if (day.month, day.day) not in QUARTER_ENDS:
            raise forms.ValidationError(NOT_A_QUARTER_END)
        return day
