"""Forms for the plan's delivery structure: a work-stream and its SLP funding per financial year."""

from __future__ import annotations

from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.contrib.auth.models import User

from accounts.roles import Role
from lib.financial_year import financial_year_label
from priorities.models import Priority, WorkStream


class PersonChoiceField(forms.ModelChoiceField):
    """A choice of person shown by full name, as colleagues know each other."""

    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class WorkStreamForm(forms.ModelForm):
    """A work-stream with one SLP funding field per financial year of its plan version.

    `edited_version` carries the version the edit began from (the service checks it).
    """

    edited_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    strategic_lead = PersonChoiceField(
        queryset=User.objects.filter(is_active=True, groups__name=Role.STRATEGIC_LEAD)
        .distinct()
        .order_by("first_name", "last_name"),
    )

    class Meta:
        model = WorkStream
        fields = ["name", "kind", "description", "strategic_lead"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, priority: Priority, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.priority = priority
        self.years = priority.version.financial_years()
        current = (
            {a.financial_year: a.amount for a in self.instance.allocations.all()}
            if (self.instance.pk)
            else {}
        )
        if self.instance.pk and not self.is_bound:
            self.initial["edited_version"] = self.instance.version
        for year in self.years:
            self.fields[f"allocation_{year}"] = forms.DecimalField(
                label=f"SLP funding {financial_year_label(year)} (£)",
                required=False,
                min_value=Decimal(0),
                max_digits=12,
                decimal_places=2,
                initial=current.get(year),
                help_text="Leave blank if nothing is allocated for this year.",
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "edited_version",
            Fieldset("Work-stream", "name", "kind", "description", "strategic_lead"),
            Fieldset("Funding", *(f"allocation_{year}" for year in self.years)),
            Submit("save", "Save work-stream"),
        )

    def allocations(self) -> dict[int, Decimal | None]:
        """Return the allocation typed for each financial year (None where left blank)."""
        return {year: self.cleaned_data.get(f"allocation_{year}") for year in self.years}
