"""Forms of the partnership pages: a meeting, two dates to compare."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from partnership.models import PAPERS_MAX_LENGTH, BoardMeeting

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
