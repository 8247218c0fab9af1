from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from slp_portal.backup import BackupError, backup_database, default_backup_path


class Command(BaseCommand):
    help = (
        "Write a consistent backup of the database: pg_dump (custom format) for PostgreSQL, "
        "SQLite's online backup for SQLite. Default file: backups/slp-<database>-<time>."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", nargs="?", type=Path, help="where to write the backup")

    def handle(self, *args, **options) -> None:
        destination = options["file"] or default_backup_path()
        try:
            path = backup_database(destination)
        except BackupError as error:
            raise CommandError(str(error)) from error
        size_kb = path.stat().st_size / 1024
        self.stdout.write(self.style.SUCCESS(f"Backup written to {path} ({size_kb:,.0f} KB)."))
