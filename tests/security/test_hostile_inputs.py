"""Hostile values through every form of the portal, from one table.

Each field × value ends one of two ways: a clear error beside the field with nothing written,
or the value stored as typed, shown escaped and neutralised in the exports. Nothing else changes.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from actions.models import Action, ProgressUpdate
from priorities.models import FundingAllocation, WorkStream
from tests.form_data import progress, smart_form_data

pytestmark = pytest.mark.django_db

LONG = "A" * 10_001
LONE_SURROGATE = "\ud800"  # sent as the bytes ED A0 80: not valid UTF-8
# (id, value); every form field below gets every value of its kind.
TEXT = [
    ("script", "<script>alert(1)</script>"),
    ("attribute", '"><img src=x onerror=alert(1)>'),
    ("hyperlink", '=HYPERLINK("http://evil.example","x")'),
    ("plus-cmd", "+cmd|' /C calc'!A0"),
    ("at-sum", "@SUM(A1:A9)"),
    ("long", LONG),
    ("rtl-override", "Safe \u202egnp.exe"),
    ("zero-width", "Kni\u200dfe\u200b crime"),
    ("emoji", "Knife crime \U0001f52a\U0001f3f4\u200d\u2620\ufe0f"),
    ("nul", "Knife\x00crime"),
    ("lone-surrogate", f"Knife {LONE_SURROGATE} crime"),
]
NUMBERS = [
    ("negative", "-1"),
    ("huge", "1e30"),
    ("nan", "NaN"),
    ("infinity", "Infinity"),
    ("thousands", "1,000"),
    ("script", "<script>1</script>"),
    ("long", "9" * 10_001),
]
DATES = [
    ("feb-30", "2019-02-30"),
    ("year-9999", "9999-12-31"),
    ("uk-order", "31/12/2019"),
    ("script", "<script>alert(1)</script>"),
    ("nul", "2019-06-01\x00"),
]


@dataclass(frozen=True)
class Field:
    """One field of one form: how to submit a value and how to read back what was stored."""

    form: str
    name: str
    kind: str  # text, number or date


FIELDS = [
    *(Field("action", name, "text") for name in ["title", "description", "indicator", "unit"]),
    Field("action", "resources", "text"),
    *(Field("action", name, "number") for name in ["baseline", "target", "funding"]),
    *(Field("action", name, "date") for name in ["start_date", "due_date"]),
    Field("progress", "narrative", "text"),
    Field("progress", "next_steps", "text"),
    Field("progress", "indicator_value", "number"),
    Field("progress", "spend", "number"),
    Field("progress", "reported_on", "date"),
    Field("work_stream", "name", "text"),
    Field("work_stream", "description", "text"),
    Field("work_stream", "allocation_2019", "number"),
]
VALUES = {"text": TEXT, "number": NUMBERS, "date": DATES}
CASES = [
    pytest.param(field, value, id=f"{field.form}.{field.name}-{value_id}")
    for field in FIELDS
    for value_id, value in VALUES[field.kind]
]


def post(client: Client, url: str, data: dict):
    """POST the form as a browser would, lone surrogates sent as their (invalid) UTF-8 bytes."""
    body = urlencode(data, doseq=True, encoding="utf-8", errors="surrogatepass")
    return client.post(url, body, content_type="application/x-www-form-urlencoded")


def received(value: str) -> str:
    """Return the value as Django decodes it: invalid UTF-8 becomes replacement characters."""
    return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def _state() -> tuple:
    """Return what the forms could write, to compare before and after a refusal."""
    return (
        list(Action.objects.filter(title="Weapons amnesty bins").values()),
        Action.objects.count(),
        ProgressUpdate.objects.count(),
        list(WorkStream.objects.filter(name__startswith="Knife crime").values()),
        WorkStream.objects.count(),
        list(FundingAllocation.objects.order_by("pk").values_list("amount", flat=True)),
    )


@dataclass
class Submission:
    url: str
    client: Client
    data: dict
    stored: Callable[[], object]  # reads back the field after a successful save
    shown_on: str  # the page that shows the stored value


@pytest.fixture
def submit(client_for, lead, owner) -> Callable[[Field, str], Submission]:
    def build(field: Field, value: str) -> Submission:
        if field.form == "action":
            action = Action.objects.get(title="Weapons amnesty bins")
            detail = reverse("actions:detail", args=[action.pk])
            return Submission(
                reverse("actions:edit", args=[action.pk]),
                client_for(lead),
                smart_form_data(action, **{field.name: value}),
                lambda: getattr(Action.objects.get(pk=action.pk), field.name),
                detail,
            )
        if field.form == "progress":
            action = Action.objects.get(title="Weapons amnesty bins")
            return Submission(
                reverse("actions:update", args=[action.pk]),
                client_for(owner),
                progress(**{field.name: value}),
                lambda: getattr(action.updates.latest("created_at"), field.name),
                reverse("actions:detail", args=[action.pk]),
            )
        stream = WorkStream.objects.get(name="Knife crime and serious violence work-stream")
        data = {
            "name": stream.name,
            "kind": stream.kind,
            "description": stream.description,
            "strategic_lead": stream.strategic_lead_id,
            "allocation_2019": "40000",
            "edited_version": stream.version,
            field.name: value,
        }

        def stored():
            if field.name.startswith("allocation_"):
                return stream.allocations.get(financial_year=2019).amount
            return getattr(WorkStream.objects.get(pk=stream.pk), field.name)

        return Submission(
            reverse("priorities:work_stream_edit", args=[stream.pk]),
            client_for(lead),
            data,
            stored,
            # The edit form is the one page that shows a work-stream's description.
            reverse("priorities:work_stream_edit", args=[stream.pk]),
        )

    return build


MONEY = {"funding", "spend", "allocation_2019"}
# Every free-text field has a maximum (tests/security/test_text_limits.py).
TEXT_LIMITS = {
    "title": 200,
    "indicator": 200,
    "unit": 60,
    "name": 200,
    "description": 2_000,
    "resources": 2_000,
    "narrative": 5_000,
    "next_steps": 2_000,
}


def expected_error(field: Field, value: str) -> str | None:
    """Return the error the field must give for the value, or None when it must be stored."""
    typed = received(value)
    if field.kind == "date":
        if typed == "31/12/2019":
            return None  # the UK order is what people type, and it is unambiguous here
        if typed.startswith("9999"):  # a real date, but outside what the form may hold
            return "cannot be later than today" if field.form == "progress" else "must fall within"
        return "Enter a valid date."
    if field.kind == "number":
        try:
            number = Decimal(typed)
        except InvalidOperation:
            return "Enter a number."
        if not number.is_finite():
            return "Enter a number."
        if number < 0 and field.name in MONEY:
            return "Ensure this value is greater than or equal to 0"
        if number < 0 and number > -1_000:
            return None  # a change can be the indicator: a baseline of -1 is a real figure
        return "Ensure that there are no more than"
    if "\x00" in typed:
        return "Null characters are not allowed."
    if field.name in TEXT_LIMITS and len(typed) > TEXT_LIMITS[field.name]:
        return f"Ensure this value has at most {TEXT_LIMITS[field.name]} characters"
    return None


@pytest.mark.parametrize(("field", "value"), CASES)
def test_every_field_refuses_or_stores_and_escapes_a_hostile_value(submit, field, value):
    form = submit(field, value)
    before = _state()

    response = post(form.client, form.url, form.data)

    error = expected_error(field, value)
    if error is not None:
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert field.name in errors, errors
        assert error in " ".join(errors[field.name])
        assert _state() == before
        return
    assert response.status_code == 302, response.context["form"].errors
    typed = received(value)
    stored = form.stored()
    if field.kind == "date":
        assert stored == datetime.date(2019, 12, 31)
        return
    assert stored == (Decimal(typed) if field.kind == "number" else typed.strip())
    html = form.client.get(form.shown_on).content.decode()
    if "<" in typed:
        assert typed not in html
        assert escape(typed) in html
    elif len(typed) < 1_000:
        assert escape(typed.strip()) in html


TRACKER_FIELDS = ["title", "indicator", "unit"]


@pytest.mark.parametrize("name", TRACKER_FIELDS)
@pytest.mark.parametrize(
    "value", [value for _, value in TEXT[:5]], ids=[value_id for value_id, _ in TEXT[:5]]
)
def test_stored_hostile_text_is_neutralised_in_the_tracker_download(
    client_for, lead, chair, name, value
):
    action = Action.objects.get(title="Weapons amnesty bins")
    response = post(
        client_for(lead),
        reverse("actions:edit", args=[action.pk]),
        smart_form_data(action, **{name: value}),
    )
    assert response.status_code == 302
    download = client_for(chair).get(reverse("actions:tracker"), {"format": "csv"})
    cells = [
        c for row in csv.reader(io.StringIO(download.content.decode("utf-8-sig"))) for c in row
    ]
    if value[0] in "=+-@":
        assert "'" + value in cells and value not in cells
    else:
        assert value in cells  # plain text, not a formula: kept as typed


@pytest.mark.parametrize(("value_id", "value"), TEXT)
def test_sign_in_refuses_hostile_credentials_and_signs_no_one_in(client, value_id, value):
    response = post(client, reverse("login"), {"username": value, "password": value})
    assert response.status_code in (200, 403)
    html = response.content.decode()
    assert "_auth_user_id" not in client.session
    if response.status_code == 200:
        assert "Your username and password did not match" in html
    if "<" in value and len(value) < 150:
        assert escape(value) in html  # the username is kept in the form, escaped
    assert "<script>alert(1)</script>" not in html and "<img src=x" not in html


def test_an_over_long_username_is_refused_before_the_sign_in_log(client):
    """It once reached django-axes' 255-character column: a server error on PostgreSQL."""
    from axes.models import AccessAttempt, AccessFailureLog

    before = (AccessAttempt.objects.count(), AccessFailureLog.objects.count())
    response = client.post(reverse("login"), {"username": LONG, "password": "demo"})
    assert response.status_code == 200
    assert "Your username and password did not match" in response.content.decode()
    assert "at most 150 characters" in " ".join(response.context["form"].errors["username"])
    assert (AccessAttempt.objects.count(), AccessFailureLog.objects.count()) == before


@pytest.mark.parametrize(("value_id", "value"), TEXT)
def test_the_two_factor_step_refuses_hostile_codes(admin, value_id, value):
    from django_otp import DEVICE_ID_SESSION_KEY

    from tests.accounts.test_two_factor import password_only
    from tests.conftest import verified_device

    verified_device(admin)
    client = password_only("admin")
    response = post(client, reverse("two_factor_verify"), {"code": value})
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get("code", []))
    assert errors
    assert DEVICE_ID_SESSION_KEY not in client.session
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html and "<img src=x" not in html


GET_VALUES = [value for _, value in TEXT] + [value for _, value in NUMBERS + DATES]


@pytest.mark.parametrize("page", ["actions:tracker", "comparison"])
def test_hostile_filters_filter_nothing_and_are_never_echoed_raw(client_for, chair, page):
    client = client_for(chair)
    url = reverse(page)
    plain = client.get(url)
    names = list(plain.context["filters"].fields) if "filters" in plain.context else []
    names += ["period", "category", "group", "csp", "format", "version", "priority"]
    for value in GET_VALUES:
        if "\x00" in value or LONE_SURROGATE in value:
            continue  # a query string cannot carry them unencoded; covered below
        response = client.get(url, dict.fromkeys(names, value))
        # A filter naming nothing filters nothing (200) or names no such page (404).
        assert response.status_code in (200, 400, 404), (value, response.status_code)
        html = response.content.decode()
        assert "<script>alert(1)</script>" not in html and "<img src=x" not in html
    for raw in ["%00", "%ED%A0%80", "%FF"]:
        response = client.get(f"{url}?" + "&".join(f"{name}={raw}" for name in names))
        assert response.status_code in (200, 400, 404)


WIDE_CSV = b"CSP,2018/19\nLeicester,95.25\n"


@pytest.mark.parametrize("name", ["span", "period", "category"])
@pytest.mark.parametrize(("value_id", "value"), TEXT)
def test_the_upload_forms_text_fields_refuse_or_escape_hostile_values(
    client_for, admin, name, value_id, value
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from crime_stats.models import CrimeFigure, ImportBatch

    client = client_for(admin)
    batches, figures = ImportBatch.objects.count(), CrimeFigure.objects.count()
    data = {"category": "All crime", name: value}
    body = {k: received(v) for k, v in data.items()}
    response = client.post(
        reverse("data_upload"), {**body, "file": SimpleUploadedFile("f.csv", WIDE_CSV)}
    )
    typed = received(value)
    if name != "category" or "\x00" in typed or len(typed) > 120:
        # A span or a period must be one the portal knows; nothing else gets past the form.
        assert response.status_code == 200
        assert name in response.context["form"].errors
        assert ImportBatch.objects.count() == batches
    else:
        assert response.status_code == 302
        batch = ImportBatch.objects.latest("pk")
        assert batch.options["category"] == typed.strip()
        html = client.get(response["Location"]).content.decode()
        if "<" in typed:
            assert typed not in html and escape(typed) in html
    assert CrimeFigure.objects.count() == figures  # nothing loads before a confirm
