"""PostgreSQL connections run without JIT compilation (it slowed the dashboard down); SQLite
connections wait 30 s for the write lock."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

SHOW_OPTIONS = (
    "from django.conf import settings; print(settings.DATABASES['default'].get('OPTIONS'))"
)


def database_options(url: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SHOW_OPTIONS],
        cwd=settings.BASE_DIR,
        env={**env, "DJANGO_DEBUG": "1", "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]  # after the shell's "objects imported" line


def test_postgres_connections_turn_jit_off_and_sqlite_waits_for_the_write_lock():
    assert database_options("postgres://u@db.example.org:5432/slp") == "{'options': '-c jit=off'}"
    # No JIT option for SQLite; a 30 s wait for its one writer (the import worker polls too).
    assert database_options("sqlite:////tmp/slp-options.sqlite3") == "{'timeout': 30}"


@pytest.mark.django_db
def test_the_live_postgres_connection_has_jit_off():
    if connection.vendor != "postgresql":
        pytest.skip("runs on PostgreSQL: DATABASE_URL=postgres://… make test")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
