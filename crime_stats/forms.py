"""Forms of the data-loading pages: upload a file, confirm a preview, undo a batch."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from crime_stats.importers.periods import PeriodError, parse_period, parse_span
from crime_stats.models import ALL_CRIME
from lib.financial_year import FULL_YEAR

LAYOUT_CHOICES = [
    ("", "Detect from the header row"),
    ("wide", "Wide: the plan's table (a CSP column, then one column per period)"),
    ("long", "Long: one row per CSP, period and category"),
    ("ons", "Home Office open data: counts by CSP and offence"),
]


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f} MB"


SPLIT_ADVICE = " Split it (for example one file per financial year) and load each part."


def _within_upload_limit(upload: UploadedFile | None, advice: str = "") -> UploadedFile | None:
    """Return the upload, or refuse it when it is larger than IMPORT_MAX_UPLOAD_BYTES."""
    if upload is not None and upload.size > settings.IMPORT_MAX_UPLOAD_BYTES:
        raise forms.ValidationError(
            f"The file is {upload.size / (1024 * 1024):,.1f} MB; the limit is "
            f"{_megabytes(settings.IMPORT_MAX_UPLOAD_BYTES)}.{advice}"
        )
    return upload


class UploadForm(forms.Form):
    """The file to load and how to read it; nothing is written until the preview is confirmed."""

    file = forms.FileField(
        label="File of crime figures",
        help_text="CSV, Excel (XLSX) or OpenDocument (ODS).",
    )
    population = forms.FileField(
        label="Population table",
        required=False,
        help_text="For Home Office counts: a 'CSP' column and a 'Population' column.",
    )
    format = forms.ChoiceField(label="Layout", choices=LAYOUT_CHOICES, required=False)
    span = forms.CharField(
        label="Span of months",
        required=False,
        max_length=40,
        help_text="For columns headed by a bare year, or a Home Office file: e.g. April-December. "
        "Leave blank for the whole financial year.",
    )
    period = forms.CharField(
        label="Period of the whole file",
        required=False,
        max_length=40,
        help_text="Only for a file with no period or year column: e.g. 2018/19.",
    )
    category = forms.CharField(
        label="Crime category",
        initial=ALL_CRIME,
        max_length=120,
        help_text="For a wide table: the category its rates are for.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        limit = _megabytes(settings.IMPORT_MAX_UPLOAD_BYTES)
        self.fields["file"].help_text += f" At most {limit}."
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset("The file", "file", "population"),
            Fieldset("How to read it", "format", "span", "period", "category"),
        )
        self.helper.add_input(Submit("preview", "Check and preview"))

    def _check_size(self, upload: UploadedFile | None) -> UploadedFile | None:
        return _within_upload_limit(upload, SPLIT_ADVICE)

    def clean_file(self) -> UploadedFile | None:
        return self._check_size(self.cleaned_data.get("file"))

    def clean_population(self) -> UploadedFile | None:
        return self._check_size(self.cleaned_data.get("population"))

    def clean_span(self) -> str:
        span = self.cleaned_data["span"].strip()
        if span:
            try:
                parse_span(span)
            except PeriodError as error:
                raise forms.ValidationError(f"{str(error)[0].upper()}{str(error)[1:]}.") from None
        return span

    def clean_period(self) -> str:
        period = self.cleaned_data["period"].strip()
        if period:
            try:
                parse_period(period, FULL_YEAR)
            except PeriodError as error:
                raise forms.ValidationError(f"{str(error)[0].upper()}{str(error)[1:]}.") from None
        return period


IMPLAUSIBLE_UNCHECKED = (
    "Nothing was loaded: some revised rates more than double or halve the stored ones. Check "
    "them in the list above and tick “I have checked these”, or correct the file and upload it "
    "again."
)


class ConfirmForm(forms.Form):
    """Confirming a preview; CSPs not in the portal are skipped only when the admin says so."""

    skip_unknown_csps = forms.BooleanField(required=False)
    checked_implausible = forms.BooleanField(required=False)

    def __init__(self, *args, unknown_csps: int = 0, implausible: int = 0, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        checked = self.fields["checked_implausible"]
        if implausible:
            checked.required = True
            plural = "s" if implausible != 1 else ""
            checked.label = (
                f"I have checked these: the {implausible:,} revised rate{plural} that more than "
                "double or halve are right"
            )
            checked.error_messages["required"] = IMPLAUSIBLE_UNCHECKED
        else:
            checked.widget = forms.HiddenInput()
        field = self.fields["skip_unknown_csps"]
        if unknown_csps:
            field.required = True
            plural = "s" if unknown_csps != 1 else ""
            field.label = (
                f"Load the rest, skipping the {unknown_csps:,} CSP{plural} not in the portal"
            )
            field.error_messages["required"] = (
                "Tick this box to load the file without the CSPs that are not in the portal, "
                "or correct their names and upload the file again."
            )
        else:
            field.widget = forms.HiddenInput()
        self.helper = FormHelper()
        self.helper.add_input(Submit("confirm", "Confirm and load the figures"))


class PopulationUploadForm(forms.Form):
    """A table of population estimates: by local authority district code, or by CSP."""

    file = forms.FileField(
        label="Population estimates",
        help_text="CSV, Excel (XLSX) or OpenDocument (ODS): the ONS mid-year estimates by local "
        "authority code (columns `Code` and `All ages`, or `Mid-2024`…), mySociety's local "
        "authority table as it is (`lad-code`, `pop-2020`), or a table by CSP.",
    )
    year = forms.IntegerField(
        label="Year of the estimates (mid-year)",
        required=False,
        min_value=1990,
        max_value=2100,
        help_text="Only when the population column does not say it (an `All ages` column): "
        "e.g. 2024 for the mid-2024 estimates. Columns headed `Mid-2024` or `pop-2020` say it.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        limit = _megabytes(settings.IMPORT_MAX_UPLOAD_BYTES)
        self.fields["file"].help_text += f" At most {limit}."
        self.helper = FormHelper()
        self.helper.add_input(Submit("preview", "Check and preview"))

    def clean_file(self) -> UploadedFile | None:
        return _within_upload_limit(self.cleaned_data.get("file"))
