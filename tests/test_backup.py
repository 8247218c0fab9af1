"""`make backup` / `make restore`: a restored copy holds exactly the data that was backed up.

One round trip per database: a scratch database holding the seed and demo data, backed up,
changed, restored and compared row by row (dumpdata), each step through the real command. The
SQLite scratch file is a copy of the test database (built by migrate, load_seed and load_demo
at session start), the PostgreSQL one is built by those commands. The refusals happen before
anything is touched, so they run in-process against the test database.
"""

import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import dj_database_url
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from actions.models import ProgressUpdate

MUTATE = (
    "from actions.models import ProgressUpdate; from crime_stats.models import CrimeFigure; "
    "ProgressUpdate.objects.all().delete(); "
    "CrimeFigure.objects.filter(csp__name='Leicester').update(rate=1); "
    "print(ProgressUpdate.objects.count())"
)


def manage(*args: str, database_url: str, stdin: str | None = None) -> str:
    """Return the output of a manage.py command run against `database_url`; fail on an error."""
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_DEBUG": "1"}
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"{args}: {result.stderr}"
    return result.stdout


def every_row(database_url: str) -> str:
    return manage("dumpdata", "--indent=0", "--exclude=sessions", database_url=database_url)


# `make setup`'s three commands in one process: one Django start-up instead of three.
FILL = (
    "from django.core.management import call_command as c; "
    "c('migrate', '--noinput', verbosity=0); c('load_seed'); c('load_demo')"
)


def fill(database_url: str) -> None:
    manage("shell", "--no-imports", "-c", FILL, database_url=database_url)


@pytest.fixture
def filled_sqlite_url(tmp_path: Path, transactional_db) -> str:
    """Return a scratch SQLite file holding the seed and demo data."""
    path = tmp_path / "portal.sqlite3"
    url = f"sqlite:///{path}"
    if connection.vendor != "sqlite":
        fill(url)
        return url
    # A transactional test starts from the seeded snapshot, committed (tests/conftest.py), so
    # the copy holds it whatever ran before.
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    return url


@pytest.fixture
def postgres_url() -> Iterator[str]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("runs when DATABASE_URL is PostgreSQL (CI's second pass)")
    import psycopg2

    config = dj_database_url.parse(url)
    name = f"slp_backup_test_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(
        dbname="postgres",
        user=config["USER"],
        password=config["PASSWORD"],
        host=config["HOST"],
        port=config["PORT"] or 5432,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    base = url.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def backup_change_restore(database_url: str, backup_file: Path) -> None:
    before = every_row(database_url)
    assert '"model": "actions.progressupdate"' in before

    output = manage("backup_database", str(backup_file), database_url=database_url)
    assert f"Backup written to {backup_file}" in output
    assert not backup_file.with_name(backup_file.name + ".partial").exists()

    assert manage("shell", "--no-imports", "-c", MUTATE, database_url=database_url).strip() == "0"
    assert every_row(database_url) != before

    manage("restore_database", str(backup_file), database_url=database_url, stdin="yes\n")
    assert every_row(database_url) == before


def test_sqlite_backup_restores_every_row(filled_sqlite_url, tmp_path):
    backup_change_restore(filled_sqlite_url, tmp_path / "backups" / "portal.sqlite3")


@pytest.mark.postgres
def test_postgresql_backup_restores_every_row(postgres_url, tmp_path):
    backup_file = tmp_path / "portal.dump"
    fill(postgres_url)
    backup_change_restore(postgres_url, backup_file)
    assert backup_file.read_bytes().startswith(b"PGDMP")


def test_a_restore_not_confirmed_with_yes_is_cancelled_and_changes_nothing(
    db, tmp_path, monkeypatch
):
    backup_file = tmp_path / "portal.sqlite3"
    backup_file.write_bytes(b"SQLite format 3\x00")
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    before = ProgressUpdate.objects.count()
    with pytest.raises(CommandError, match="^Restore cancelled; nothing was changed.$"):
        call_command("restore_database", str(backup_file))
    assert ProgressUpdate.objects.count() == before


def test_a_file_that_is_not_a_backup_is_refused(tmp_path):
    bogus = tmp_path / "notes.sqlite3"
    bogus.write_text("not a database")
    kind = "a PostgreSQL" if connection.vendor == "postgresql" else "an SQLite"
    with pytest.raises(CommandError) as refused:
        call_command("restore_database", "--noinput", str(bogus))
    assert str(refused.value) == f"{bogus} is not {kind} backup made by `make backup`."
