"""`python manage.py load_population_estimates FILE [--year 2024]`: the population page's load."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from crime_stats.importers.population_batches import NOTHING_TO_LOAD, load_populations
from crime_stats.management.commands.load_crime_figures import _read


class Command(BaseCommand):
    help = (
        "Load population estimates: the ONS mid-year estimates by local authority code, "
        "mySociety's local authority table as it is, or a table by CSP. Districts are summed "
        "into CSPs through the ONS lookups. Nothing is written if any row has a problem."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument(
            "--year",
            type=int,
            default=None,
            help="the mid-year of an undated population column (`All ages`), e.g. 2024",
        )
        parser.add_argument("--dry-run", action="store_true", help="check and report only")

    def handle(self, *args, **options) -> None:
        content = _read(options["file"])
        plan, batch = load_populations(
            content=content,
            file_name=options["file"],
            year=options["year"],
            dry_run=options["dry_run"],
        )
        file = plan.file
        for problem in file.problems:
            self.stderr.write(str(problem))
        if file.problems:
            raise CommandError(f"{len(file.problems):,} problems: nothing was loaded.")
        years = ", ".join(f"mid-{year}" for year in file.years) or "no year"
        self.stdout.write(
            f"Read {file.rows_read:,} rows as estimates by {file.layout} ({years}): "
            f"{len(plan.created):,} to create, {len(plan.updated):,} to revise, "
            f"{len(plan.unchanged):,} unchanged; {file.rows_ignored:,} rows name no CSP's "
            "district and are not used."
        )
        for missing in file.missing:
            self.stdout.write(
                f"  no estimate for {missing['csp']} (mid-{missing['year']}): {missing['reason']}"
            )
        if not file.estimates:
            raise CommandError(NOTHING_TO_LOAD)
        if batch is not None:
            self.stdout.write(self.style.SUCCESS(f"Loaded as batch {batch.pk}."))
        elif options["dry_run"]:
            self.stdout.write("Dry run: nothing was written.")
        else:
            self.stdout.write("Every estimate is already stored as it is: nothing changed.")
