"""`python manage.py load_crime_figures FILE`: the upload page's pipeline from the command line."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from crime_stats.importers import LAYOUTS, ImportOptions, import_figures
from crime_stats.importers.readers import UnreadableFile, check_size
from crime_stats.models import ALL_CRIME

DATABASE_LOST = (
    "The database stopped answering during the import ({error}). Nothing was written: the "
    "import is one transaction, rolled back. Load the file again once the database is back."
)


def _read(path: str) -> bytes:
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"{path}: no such file.")
    try:
        check_size(file.stat().st_size)
    except UnreadableFile as error:
        raise CommandError(f"{path}: {error}") from None
    return file.read_bytes()


class Command(BaseCommand):
    help = (
        "Load crime figures from a CSV, XLSX or ODS file (wide, long or Home Office layout). "
        "Nothing is written if any row has a problem; the exit status is then 1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument(
            "--format",
            choices=LAYOUTS,
            default="",
            help="the layout; detected from the headers when left out",
        )
        parser.add_argument(
            "--span",
            default="",
            help='the months a bare year or a Home Office file covers, e.g. "April-December"',
        )
        parser.add_argument(
            "--period",
            default="",
            help='the period of a file with no period column, e.g. "2018/19"',
        )
        parser.add_argument(
            "--category",
            default=ALL_CRIME,
            help=f"the crime category of wide files (default {ALL_CRIME!r})",
        )
        parser.add_argument(
            "--population",
            default=None,
            help="a population table (CSP and Population columns) for the "
            "Home Office layout's rates",
        )
        parser.add_argument(
            "--skip-unknown-csps",
            action="store_true",
            help="leave out the rows of CSPs that are not in the portal",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report, write nothing"
        )

    def handle(self, *args, **options) -> None:
        content = _read(options["file"])
        population = _read(options["population"]) if options["population"] else None
        import_options = ImportOptions(
            format=options["format"],
            span=options["span"],
            period=options["period"],
            category=options["category"],
            skip_unknown_csps=options["skip_unknown_csps"],
        )
        try:
            plan, batch = import_figures(
                content=content,
                file_name=Path(options["file"]).name,
                options=import_options,
                population=population,
                dry_run=options["dry_run"],
            )
        except DatabaseError as error:
            # An outage (server stopped, connection cut) rather than a bad file: say so plainly
            # instead of a traceback, and that a rerun is safe.
            first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
            raise CommandError(DATABASE_LOST.format(error=first_line), returncode=1) from None
        parsed = plan.parsed
        self.stdout.write(
            f"{options['file']}: {parsed.format or 'unknown'} layout, {parsed.rows_read:,} rows "
            f"read; {len(plan.created):,} figures to create, {len(plan.updated):,} to revise, "
            f"{len(plan.unchanged):,} unchanged."
        )
        for note in parsed.notes:
            self.stdout.write(f"Note: {note}")
        if plan.new_periods:
            labels = ", ".join(spec.label for spec in plan.new_periods)
            self.stdout.write(f"New periods: {labels}.")
        if parsed.unknown_csps and import_options.skip_unknown_csps:
            self.stdout.write(
                f"Skipped {parsed.rows_skipped:,} rows of {len(parsed.unknown_csps):,} CSPs "
                "that are not in the portal."
            )
        if plan.problems:
            for problem in plan.problems:
                self.stderr.write(str(problem))
            hint = (
                " (or --skip-unknown-csps to leave out CSPs not in the portal)"
                if parsed.unknown_csps and not import_options.skip_unknown_csps
                else ""
            )
            raise CommandError(
                f"{len(plan.problems):,} problems; nothing was written. Fix the file and load it "
                f"again{hint}.",
                returncode=1,
            )
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was written.")
        elif batch is None:
            self.stdout.write("Nothing to change: every figure is already as the file says.")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Committed as import batch {batch.pk} (SHA-256 {batch.sha256[:12]}…); "
                    f"undo it on the data-loading page {settings.LOGIN_REDIRECT_URL}data/."
                )
            )
