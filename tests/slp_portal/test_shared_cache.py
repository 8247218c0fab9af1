"""The dashboard's cache shared through Redis when SLP_REDIS_URL is set, and pages gzipped."""

import gzip
import subprocess
import sys
import uuid

import pytest
from django.conf import settings
from django.core.cache.backends.redis import RedisCache

pytestmark = pytest.mark.django_db

REDIS = "redis://127.0.0.1:6379/14"


def test_with_slp_redis_url_two_processes_share_one_cache():
    # Redis runs at 127.0.0.1:6379 on every machine here, CI's included.
    key = f"shared-cache-test-{uuid.uuid4()}"
    code = (
        "import django, sys; django.setup();"
        "from django.core.cache import cache; from django.conf import settings;"
        "print(settings.CACHES['default']['BACKEND']);"
        f"cache.set('{key}', 'one', 30)"
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "slp_portal.settings",
        "DJANGO_DEBUG": "1",
        "SLP_REDIS_URL": REDIS,
        "SLP_CACHE_PREFIX": "slp-test",
        "PATH": "/usr/bin:/bin",
    }
    written = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert written.returncode == 0, written.stderr
    assert written.stdout.split() == ["django.core.cache.backends.redis.RedisCache"]
    # Another process (this one) reading the same Redis with the same prefix sees the entry.
    shared = RedisCache(REDIS, {"KEY_PREFIX": "slp-test"})
    assert shared.get(key) == "one"
    shared.delete(key)


def test_without_slp_redis_url_each_process_keeps_its_own():
    assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")


def test_the_dashboard_goes_out_gzipped(client_for, chair):
    response = client_for(chair).get("/", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    html = gzip.decompress(response.content)
    assert b"Dashboard" in html and len(response.content) * 4 < len(html)
