"""Shared fixtures: the seed and demo data, loaded once, and one named user per role.

The test database is filled once per session with the real seed data and the demo accounts
(`load_seed`, `load_demo`); each test then runs inside a transaction that is rolled back.
"""

import os
import shutil

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client

IN_CI = os.environ.get("CI", "").lower() == "true"


def require(condition: bool, reason: str) -> None:
    """Skip the test with `reason` unless `condition` holds; in CI a missing tool is a failure."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI must provide this: {reason}")
    pytest.skip(reason)


def require_chromium() -> str:
    """Return Debian's Chromium path, or skip (fail in CI) when it is not installed."""
    path = "/usr/bin/chromium"
    require(shutil.which(path) is not None, "needs Debian's Chromium at /usr/bin/chromium")
    return path


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from slp_portal.demo import load_demo
    from slp_portal.seed import load_seed

    with django_db_blocker.unblock():
        load_seed()
        load_demo()


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


@pytest.fixture
def client_for(db):
    """Return a function that gives a test client signed in as the given user."""

    def sign_in(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return sign_in
