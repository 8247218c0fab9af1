"""`make backup` / `make restore`: a restored copy holds exactly the data that was backed up.

Each test builds its own scratch database through the real commands (migrate, load_seed,
load_demo), backs it up, changes it, restores it and compares every row (dumpdata).
"""

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import dj_database_url
import pytest
from django.conf import settings

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


def fill(database_url: str) -> None:
    manage("migrate", "--noinput", "-v0", database_url=database_url)
    manage("load_seed", database_url=database_url)
    manage("load_demo", database_url=database_url)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'portal.sqlite3'}"


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
    fill(database_url)
    before = every_row(database_url)
    assert '"model": "actions.progressupdate"' in before

    output = manage("backup_database", str(backup_file), database_url=database_url)
    assert f"Backup written to {backup_file}" in output
    assert not backup_file.with_name(backup_file.name + ".partial").exists()

    assert manage("shell", "--no-imports", "-c", MUTATE, database_url=database_url).strip() == "0"
    assert every_row(database_url) != before

    # Refused without a "yes": nothing changes.
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_DEBUG": "1"}
    refused = subprocess.run(
        [sys.executable, "manage.py", "restore_database", str(backup_file)],
        cwd=settings.BASE_DIR,
        env=env,
        input="no\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert refused.returncode == 1
    assert "Restore cancelled; nothing was changed." in refused.stderr

    manage("restore_database", str(backup_file), database_url=database_url, stdin="yes\n")
    assert every_row(database_url) == before


def test_sqlite_backup_restores_every_row(sqlite_url, tmp_path):
    backup_change_restore(sqlite_url, tmp_path / "backups" / "portal.sqlite3")


@pytest.mark.postgres
def test_postgresql_backup_restores_every_row(postgres_url, tmp_path):
    backup_file = tmp_path / "portal.dump"
    backup_change_restore(postgres_url, backup_file)
    assert backup_file.read_bytes().startswith(b"PGDMP")


def test_a_file_that_is_not_a_backup_is_refused(sqlite_url, tmp_path):
    manage("migrate", "--noinput", "-v0", database_url=sqlite_url)
    bogus = tmp_path / "notes.sqlite3"
    bogus.write_text("not a database")
    env = {**os.environ, "DATABASE_URL": sqlite_url, "DJANGO_DEBUG": "1"}
    result = subprocess.run(
        [sys.executable, "manage.py", "restore_database", "--noinput", str(bogus)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert f"{bogus} is not an SQLite backup made by `make backup`." in result.stderr
