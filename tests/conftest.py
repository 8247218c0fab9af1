"""Shared fixtures: the seed and demo data, loaded once, and one named user per role.

The test database is filled once per session with the real seed data and the demo accounts
(`load_seed`, `load_demo`); each test then runs inside a transaction that is rolled back.
Transactional tests (the browser tests, anything with `transaction=True`) cannot roll back:
Django empties the database after each of them. So every transactional test gets Django's
serialized rollback of a snapshot taken after the seed and demo data were loaded: it starts
with exactly the data the other tests see, and pytest-django runs them after the others.
"""

import datetime
import os
import shutil

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client

from actions.models import Action, ProgressUpdate

IN_CI = os.environ.get("CI", "").lower() == "true"


def require(condition: bool, reason: str) -> None:
    """Skip the test with `reason` unless `condition` holds; in CI a missing tool is a failure."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI must provide this: {reason}")
    pytest.skip(reason)


def postgresql_only() -> None:
    """Skip the test unless the database is PostgreSQL: CI's second pass runs it."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("runs on PostgreSQL: CI's second pass (DATABASE_URL=postgres://… make test)")


def require_chromium() -> str:
    """Return Debian's Chromium path, or skip (fail in CI) when it is not installed."""
    path = "/usr/bin/chromium"
    require(shutil.which(path) is not None, "needs Debian's Chromium at /usr/bin/chromium")
    return path


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Give every transactional test a serialized rollback to the seeded snapshot."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        fixtures = getattr(item, "fixturenames", [])
        transactional = "live_server" in fixtures or "transactional_db" in fixtures
        kwargs = dict(marker.kwargs) if marker else {}
        if transactional or kwargs.get("transaction"):
            kwargs.update(transaction=True, serialized_rollback=True)
            # Prepended, so it is the closest marker pytest-django reads.
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)


_seeded_snapshot: dict[str, str] = {}


def attach_seeded_snapshot() -> None:
    """Give the current thread's connection the snapshot Django restores transactional tests to.

    Django keeps one connection object per thread, and another one while an asyncio loop runs
    in the thread (as Playwright's sync API does), so a fixture that starts such a loop calls
    this again.
    """
    from django.db import connections

    for alias, snapshot in _seeded_snapshot.items():
        connections[alias]._test_serialized_contents = snapshot


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from django.conf import settings
    from django.contrib.auth.hashers import get_hashers, get_hashers_by_algorithm
    from django.db import connection

    from slp_portal.demo import load_demo
    from slp_portal.seed import load_seed

    # Signing in is half the work of many tests; production's slow hasher proves nothing here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    get_hashers.cache_clear()
    get_hashers_by_algorithm.cache_clear()
    with django_db_blocker.unblock():
        load_seed()
        load_demo()
        # The snapshot transactional tests are restored to (see the module docstring).
        _seeded_snapshot[connection.alias] = connection.creation.serialize_db_to_string()
    attach_seeded_snapshot()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Start every test with an empty cache: rolled-back rows can reuse ids that cache keys name."""
    cache.clear()
    yield
    cache.clear()


def _user(username: str) -> User:
    return User.objects.get(username=username)


@pytest.fixture
def admin(db) -> User:
    return _user("admin")


@pytest.fixture
def chair(db) -> User:
    return _user("chair")


@pytest.fixture
def lead(db) -> User:
    """The strategic lead of priority a."""
    return _user("lead")


@pytest.fixture
def other_lead(db) -> User:
    """The strategic lead of priority d, who has no say over priority a."""
    return _user("lead2")


@pytest.fixture
def owner(db) -> User:
    """An action owner with some of priority a's actions."""
    return _user("owner")


def totp_code(device) -> str:
    """Return the 6-digit code the device's authenticator app shows now.

    A code is accepted once per 30-second step, so when this step's code has been used the
    next step's is returned (the device accepts one step of clock drift).
    """
    import time

    from django_otp.oath import TOTP

    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:
        totp.time = device.t0 + (device.last_t + 1) * device.step
    return f"{totp.token():0{device.digits}d}"


def verified_device(user: User):
    """Return the user's confirmed authenticator device, creating one if they have none."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test authenticator", confirmed=True)
    return device


@pytest.fixture
def client_for(db):
    """Return a function that gives a test client signed in as the given user.

    The session has also passed the second factor, as `django_otp.login` records it, so tests
    of admin and lead pages need not go through the two-factor step.
    """
    from django_otp import DEVICE_ID_SESSION_KEY

    def sign_in(user: User) -> Client:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = verified_device(user).persistent_id
        session.save()
        return client

    return sign_in


COPIED = ("id", "title", "created_at", "updated_at")


@pytest.fixture
def copy_actions(owner):
    """Return a function that copies every action (with its themes) `times` over, each copy with
    one update per day of June 2019 given: for tests that the query count does not grow."""

    def copy(times: int, *, status: str = "green", days: tuple[int, ...] = (1,)) -> None:
        for template in list(Action.objects.all()):
            for number in range(times):
                action = Action.objects.create(
                    **{
                        field.attname: getattr(template, field.attname)
                        for field in Action._meta.concrete_fields
                        if field.attname not in COPIED
                    },
                    title=f"{template.title} ({number})",
                )
                action.themes.set(template.themes.all())
                ProgressUpdate.objects.bulk_create(
                    ProgressUpdate(
                        action=action,
                        reported_on=datetime.date(2019, 6, day),
                        status=status,
                        narrative="Copied",
                        next_steps="Copied",
                        author=owner,
                    )
                    for day in days
                )

    return copy
