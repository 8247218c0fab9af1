"""The production configuration: environment only, refusing nonsense, passing check --deploy."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from slp_portal.env import env_bool, env_list

PRODUCTION = {
    "DJANGO_SECRET_KEY": "a-long-random-production-key-4f9c2e7d1b8a6053e9f1c7d2a4b6e8f0",
    "DJANGO_DEBUG": "0",
    "DJANGO_ALLOWED_HOSTS": "slp.example.org",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_production_environment():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_portal_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = manage("check", env={"DJANGO_DEBUG": "0"})
    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.parametrize("raw", ["yes", "on", "2", "TRUE "])
def test_debug_flag_rejects_anything_but_one_or_zero(monkeypatch, raw):
    monkeypatch.setenv("DJANGO_DEBUG", raw)
    with pytest.raises(ImproperlyConfigured, match="DJANGO_DEBUG must be 1 or 0"):
        env_bool("DJANGO_DEBUG", default=False)


def test_debug_defaults_off(monkeypatch):
    monkeypatch.delenv("DJANGO_DEBUG", raising=False)
    assert env_bool("DJANGO_DEBUG", default=False) is False


def test_allowed_hosts_are_comma_separated(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "slp.example.org, portal.example.org,")
    assert env_list("DJANGO_ALLOWED_HOSTS") == ["slp.example.org", "portal.example.org"]


def test_uk_locale_and_time_zone():
    assert settings.LANGUAGE_CODE == "en-gb"
    assert settings.TIME_ZONE == "Europe/London"
