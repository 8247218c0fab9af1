"""Every URL of the portal × every role (and anonymous) × GET/POST, in one table.

The test walks the URL resolver: a URL pattern without a row here fails the suite, so a new
page cannot ship without its permissions being written down. POSTs carry no data: a page that
accepts them answers 200 with the form's errors and writes nothing.
"""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from actions.models import Action, ProgressUpdate
from crime_stats.models import CrimeFigure, ImportBatch
from partnership.models import DutyOccurrence, OutcomeIndicator
from priorities.models import FundingAllocation, Priority, WorkStream
from tests.partnership.helpers import board_meetings

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "admin", "chair", "lead", "other_lead", "owner"]
USERNAMES = {
    "admin": "admin",
    "chair": "chair",
    "lead": "lead",
    "other_lead": "lead2",
    "owner": "owner",
}
SIGN_IN = 302  # anonymous visitors are sent to the sign-in page


def row(get: dict | int, post: dict | int) -> dict[str, tuple[int, int]]:
    """Return {role: (GET status, POST status)}; an int means the same status for all roles."""

    def status(spec, role):
        return spec if isinstance(spec, int) else spec.get(role, SIGN_IN)

    return {role: (status(get, role), status(post, role)) for role in ROLES}


def signed_in(get: int | dict, post: int | dict) -> dict[str, tuple[int, int]]:
    """As `row`, with anonymous visitors redirected to sign in for both methods."""
    table = row(get, post)
    table["anonymous"] = (SIGN_IN, SIGN_IN)
    return table


EDITOR = {"admin": 200, "chair": 403, "lead": 200, "other_lead": 404, "owner": 403}
REPORTER = {"admin": 200, "chair": 403, "lead": 200, "other_lead": 404, "owner": 200}
READER = {"admin": 200, "chair": 200, "lead": 200, "other_lead": 404, "owner": 200}
ADMIN_ONLY = {"admin": 200, "chair": 403, "lead": 403, "other_lead": 403, "owner": 403}
CREATOR = {"admin": 200, "chair": 403, "lead": 200, "other_lead": 200, "owner": 403}
D_LEAD = {"admin": 200, "chair": 403, "lead": 403, "other_lead": 200, "owner": 403}
BOARD = {"admin": 200, "chair": 200, "lead": 403, "other_lead": 403, "owner": 403}

# The URL name, its arguments (built from the demo data) and each role's statuses.
MATRIX = {
    "home": ({}, signed_in(200, 405)),
    "healthz": ({}, row(200, 405)),
    "login": (
        {},
        row(
            {**dict.fromkeys(ROLES, 302), "anonymous": 200},
            {**dict.fromkeys(ROLES, 302), "anonymous": 200},
        ),
    ),
    "logout": ({}, signed_in(405, 302)),
    "comparison": ({}, signed_in(200, 405)),
    "methods": ({}, signed_in(200, 405)),
    "accessibility": ({}, row(200, 405)),
    "admin-login": ({}, row(302, 302)),  # to the portal's own sign-in, which the 2FA guards
    # Test clients are already past the second factor (every one has an authenticator), so
    # the code step sends them on; anyone may move to a new authenticator or make new recovery
    # codes, after their password and a current code (an empty POST asks for them: 200).
    "two_factor_verify": ({}, signed_in(302, 302)),
    "two_factor_setup": ({}, signed_in(200, 200)),
    "recovery_codes": ({}, signed_in(200, 200)),
    "data_batches": ({}, signed_in(ADMIN_ONLY, 405)),
    "data_upload": ({}, signed_in(ADMIN_ONLY, ADMIN_ONLY)),
    "data_batch": ({"pk": "batch"}, signed_in(ADMIN_ONLY, 405)),
    # The seed batch is already committed and has no undo record: the admin is sent back to it
    # with a message, and nothing changes.
    "data_confirm": ({"pk": "batch"}, signed_in(405, {**ADMIN_ONLY, "admin": 302})),
    "data_undo": ({"pk": "batch"}, signed_in(ADMIN_ONLY, {**ADMIN_ONLY, "admin": 302})),
    "population_list": ({}, signed_in(ADMIN_ONLY, 405)),
    "population_upload": ({}, signed_in(ADMIN_ONLY, ADMIN_ONLY)),
    "population_batch": ({"pk": "population_batch"}, signed_in(ADMIN_ONLY, 405)),
    # The population load is already undone: confirm and undo send the admin back with a
    # message, and nothing changes.
    "population_confirm": (
        {"pk": "population_batch"},
        signed_in(405, {**ADMIN_ONLY, "admin": 302}),
    ),
    "population_undo": (
        {"pk": "population_batch"},
        signed_in(ADMIN_ONLY, {**ADMIN_ONLY, "admin": 302}),
    ),
    # The batch page polls its job's progress; nothing is running on the seed batch, so cancel
    # and run-again send the admin back to it with a message.
    "data_progress": ({"pk": "batch"}, signed_in(ADMIN_ONLY, 405)),
    "data_cancel": ({"pk": "batch"}, signed_in(405, {**ADMIN_ONLY, "admin": 302})),
    "data_rerun": ({"pk": "batch"}, signed_in(405, {**ADMIN_ONLY, "admin": 302})),
    "priority-changes": ({}, signed_in(200, 405)),
    "priority-list": ({}, signed_in(200, 405)),
    "board-pack": ({}, signed_in(200, 405)),
    "actions:tracker": ({}, signed_in(200, 405)),
    "actions:mine": ({}, signed_in(200, 405)),
    "actions:create": ({}, signed_in(CREATOR, CREATOR)),
    "actions:detail": ({"pk": "action"}, signed_in(READER, 405)),
    "actions:edit": ({"pk": "action"}, signed_in(EDITOR, EDITOR)),
    "actions:update": ({"pk": "action"}, signed_in(REPORTER, REPORTER)),
    "priorities:work_stream_create": ({"priority_pk": "priority"}, signed_in(EDITOR, EDITOR)),
    "priorities:work_stream_edit": ({"pk": "work_stream"}, signed_in(EDITOR, EDITOR)),
    # Board meetings: everyone signed in reads them (delivery changes scoped to what they may
    # read); Admin and Chair add meetings and issue packs, and only they open issued packs.
    "partnership:meetings": ({}, signed_in(200, BOARD)),
    "partnership:compare": ({}, signed_in(200, 405)),
    "partnership:meeting": ({"pk": "meeting"}, signed_in(200, 405)),
    "partnership:meeting_changes": ({"pk": "meeting"}, signed_in(200, 405)),
    "partnership:issued_pack": ({"pk": "issued_meeting"}, signed_in(BOARD, 405)),
    "partnership:issued_pack_pdf": ({"pk": "issued_meeting"}, signed_in(BOARD, 405)),
    "issue-pack": ({"pk": "meeting"}, signed_in(405, {**BOARD, "admin": 302, "chair": 302})),
    "board-pack-pdf": ({}, signed_in(200, 405)),
    # Duties: everyone signed in reads the register (death reviews only Admin and Chair:
    # tests/partnership/test_duties.py); an Admin or the occurrence's owner (here the lead)
    # records progress; an empty POST answers with the form's errors.
    "partnership:duties": ({}, signed_in(200, 405)),
    "partnership:duty_occurrence": (
        {"pk": "occurrence"},
        signed_in(200, {**BOARD, "chair": 403, "lead": 200}),
    ),
    "partnership:duty_evidence": ({"pk": "occurrence"}, signed_in(200, 405)),
    # Outcomes are open like the priorities page (actions on it scoped to the reader); only
    # the priority's lead (priority d's: lead2) or an Admin enters a local indicator's value.
    "partnership:priority_outcomes": ({"pk": "priority"}, signed_in(200, 405)),
    "partnership:indicator_record": ({"pk": "indicator"}, signed_in(D_LEAD, D_LEAD)),
}


def url_names(patterns=None, namespace: str = "") -> set[str]:
    """Return the name of every URL pattern outside the Django admin and static files."""
    names: set[str] = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin" or str(pattern.pattern).startswith("static"):
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            names.add(
                f"{namespace}{pattern.name}" if pattern.name else f"unnamed {pattern.pattern}"
            )
    return names


def test_every_url_has_a_row():
    missing = url_names() - set(MATRIX)
    assert not missing, f"Add rows to the permission matrix for: {sorted(missing)}"
    assert not set(MATRIX) - url_names(), "The matrix names URLs that no longer exist"


def _objects() -> dict[str, int]:
    action = Action.objects.get(title="Weapons amnesty bins")
    meetings = board_meetings(User.objects.get(username="chair"))
    occurrence = DutyOccurrence.objects.get(duty__slug="svd-review")
    occurrence.evidence_name, occurrence.evidence_file = "review.pdf", b"%PDF-1.7 review"
    occurrence.save()
    return {
        **meetings,
        "occurrence": occurrence.pk,
        "indicator": OutcomeIndicator.objects.get(source="local", priority__letter="d").pk,
        "action": action.pk,
        "work_stream": action.work_stream_id,
        "priority": Priority.objects.get(version__slug="refresh-2019-20", letter="a").pk,
        "batch": ImportBatch.objects.get(format=ImportBatch.Format.SEED).pk,
        "population_batch": ImportBatch.objects.get_or_create(
            format=ImportBatch.Format.POPULATION,
            file_name="mid-2020.csv",
            defaults={"sha256": "0" * 64, "status": ImportBatch.Status.UNDONE},
        )[0].pk,
    }


def _counts() -> tuple[int, ...]:
    models = (Action, ProgressUpdate, WorkStream, FundingAllocation, CrimeFigure, ImportBatch)
    return tuple(m.objects.count() for m in models)


@pytest.fixture(autouse=True)
def _no_chromium(monkeypatch):
    """The matrix checks who may download a PDF, not the printing (tests/partnership prints)."""
    monkeypatch.setattr("partnership.pdf.html_to_pdf", lambda page: b"%PDF-1.7 matrix")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_permission_matrix(client_for, name, role):
    args, expected = MATRIX[name]
    objects = _objects()
    url = reverse(name, kwargs={k: objects[v] for k, v in args.items()})
    get_status, post_status = expected[role]
    client = (
        Client() if role == "anonymous" else client_for(User.objects.get(username=USERNAMES[role]))
    )
    assert client.get(url).status_code == get_status, f"GET {url} as {role}"
    before = _counts()
    client = (
        Client() if role == "anonymous" else client_for(User.objects.get(username=USERNAMES[role]))
    )
    assert client.post(url, {}).status_code == post_status, f"POST {url} as {role}"
    assert _counts() == before, f"an empty POST to {url} as {role} wrote something"


def test_state_changes_need_the_csrf_token(client_for, owner):
    client = client_for(owner)
    client.handler.enforce_csrf_checks = True
    url = reverse("actions:update", args=[_objects()["action"]])
    before = _counts()
    response = client.post(
        url, {"reported_on": "2020-03-01", "status": "green", "narrative": "x", "spend": "0"}
    )
    assert response.status_code == 403
    assert _counts() == before
