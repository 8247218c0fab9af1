"""Backups of the portal's database: pg_dump/pg_restore for PostgreSQL, SQLite's backup API.

Both give a consistent copy while the portal keeps running: pg_dump reads one snapshot, and
SQLite's online backup copies the pages under the database's own locking. A restore replaces
every table the backup holds with the backup's rows.
"""

from __future__ import annotations

import datetime
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connections

SQLITE_HEADER = b"SQLite format 3\x00"
PG_CUSTOM_HEADER = b"PGDMP"
BACKUP_DIR = settings.BASE_DIR / "backups"


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why."""


def _database(alias: str = "default") -> dict:
    return connections[alias].settings_dict


def _vendor(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    return vendor


def default_backup_path(alias: str = "default") -> Path:
    """Return `backups/slp-<database>-<UTC time>.<dump|sqlite3>` under the repository."""
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
    name = Path(str(_database(alias)["NAME"])).stem
    suffix = "dump" if _vendor(alias) == "postgresql" else "sqlite3"
    return BACKUP_DIR / f"slp-{name}-{stamp}.{suffix}"


def _pg_environment(database: dict) -> dict[str, str]:
    """Return the environment pointing pg_dump/pg_restore at the database (keeps argv clean)."""
    values = {
        "PGHOST": database.get("HOST") or "",
        "PGPORT": str(database.get("PORT") or ""),
        "PGUSER": database.get("USER") or "",
        "PGPASSWORD": database.get("PASSWORD") or "",
        "PGDATABASE": database["NAME"],
    }
    return {**os.environ, **{key: value for key, value in values.items() if value}}


def _run(command: list[str], database: dict) -> None:
    tool = shutil.which(command[0])
    if tool is None:
        raise BackupError(
            f"{command[0]} is not installed (Debian: apt-get install postgresql-client)."
        )
    result = subprocess.run(  # noqa: S603 - fixed tool, arguments from settings, no shell
        [tool, *command[1:]], env=_pg_environment(database), capture_output=True, text=True
    )
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def backup_database(destination: Path, alias: str = "default") -> Path:
    """Return the path of a new, consistent backup of the database written to `destination`."""
    database = _database(alias)
    destination.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the destination and renamed, so a failed backup never leaves a file that
    # looks complete.
    partial = destination.with_name(destination.name + ".partial")
    if _vendor(alias) == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={partial}"], database)
    else:
        source = sqlite3.connect(str(database["NAME"]))
        target = sqlite3.connect(partial)
        try:
            with target:
                source.backup(target)
        finally:
            target.close()
            source.close()
    partial.replace(destination)
    return destination


def restore_database(source: Path, alias: str = "default") -> None:
    """Replace the database's contents with the backup in `source`."""
    if not source.is_file():
        raise BackupError(f"No backup file at {source}.")
    header = source.read_bytes()[:16]
    vendor = _vendor(alias)
    database = _database(alias)
    connections[alias].close()
    if vendor == "postgresql":
        if not header.startswith(PG_CUSTOM_HEADER):
            raise BackupError(f"{source} is not a PostgreSQL backup made by `make backup`.")
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={database['NAME']}",
                str(source),
            ],
            database,
        )
    else:
        if not header.startswith(SQLITE_HEADER):
            raise BackupError(f"{source} is not an SQLite backup made by `make backup`.")
        backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        target = sqlite3.connect(str(database["NAME"]))
        try:
            with target:
                backup.backup(target)
        finally:
            target.close()
            backup.close()
