"""The production configuration: environment only, refusing nonsense, passing check --deploy."""

import datetime
import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import formats, timezone

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


def test_production_cookies_hsts_and_policy():
    code = (
        "import json; from django.conf import settings as s; print(json.dumps({"
        "k: getattr(s, k) for k in ["
        "'DEBUG', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY',"
        "'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS',"
        "'SECURE_HSTS_PRELOAD', 'SECURE_PROXY_SSL_HEADER', 'SESSION_COOKIE_AGE',"
        "'SESSION_IDLE_TIMEOUT', 'SESSION_EXPIRE_AT_BROWSER_CLOSE', 'AXES_FAILURE_LIMIT',"
        "'MIDDLEWARE', 'AUTH_PASSWORD_VALIDATORS']}, default=str))"
    )
    result = manage("shell", "--no-imports", "-c", code, env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] == 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_HSTS_PRELOAD"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SESSION_COOKIE_AGE"] == 8 * 60 * 60
    assert values["SESSION_IDLE_TIMEOUT"] == 30 * 60
    assert values["SESSION_EXPIRE_AT_BROWSER_CLOSE"] is True
    assert values["AXES_FAILURE_LIMIT"] == 5
    for middleware in (
        "csp.middleware.CSPMiddleware",
        "django_otp.middleware.OTPMiddleware",
        "accounts.middleware.SessionTimeoutMiddleware",
        "accounts.middleware.TwoFactorRequiredMiddleware",
    ):
        assert middleware in values["MIDDLEWARE"]
    assert values["MIDDLEWARE"][-1] == "axes.middleware.AxesMiddleware"
    assert len(values["AUTH_PASSWORD_VALIDATORS"]) == 4


def test_production_responses_carry_hsts_and_secure_cookies():
    # Static files are not collected in the test checkout, so plain storage stands in for the
    # manifest; everything else is the production configuration.
    code = (
        "from django.test import Client, override_settings; c = Client(); "
        "o = override_settings(STORAGES={'staticfiles': {'BACKEND': "
        "'django.contrib.staticfiles.storage.StaticFilesStorage'}}); o.enable(); "
        "r = c.get('/accounts/login/', secure=True, HTTP_HOST='slp.example.org'); "
        "print(r.status_code); print(r.headers['Strict-Transport-Security']); "
        "print(r.cookies['csrftoken']['secure'] is True or r.cookies['csrftoken']['secure']); "
        "print(c.get('/accounts/login/', HTTP_HOST='slp.example.org').status_code)"
    )
    result = manage("shell", "--no-imports", "-c", code, env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    status, hsts, secure_cookie, plain_http = result.stdout.split("\n")[:4]
    assert status == "200"
    assert hsts == "max-age=31536000; includeSubDomains; preload"
    assert secure_cookie == "True"
    assert plain_http == "301"  # plain HTTP is redirected to HTTPS


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


def test_times_show_in_london_time_and_dates_the_uk_way():
    # 11:00 UTC on 1 July is noon in London (BST); a short date is day/month/year.
    summer = datetime.datetime(2024, 7, 1, 11, 0, tzinfo=datetime.UTC)
    assert timezone.localtime(summer).strftime("%H:%M %Z") == "12:00 BST"
    assert formats.date_format(summer.date(), "SHORT_DATE_FORMAT") == "01/07/2024"
    assert formats.date_format(summer.date()) == "1 Jul 2024"
