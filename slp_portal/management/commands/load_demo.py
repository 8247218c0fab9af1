from django.core.management.base import BaseCommand, CommandError

from slp_portal.demo import DEMO_FILE, load_demo


class Command(BaseCommand):
    help = (
        "Load demo work-streams, SMART actions, progress updates and one account per role "
        f"from {DEMO_FILE.relative_to(DEMO_FILE.parents[2])}. Never needed in production."
    )

    def handle(self, *args, **options) -> None:
        try:
            counts = load_demo()
        except LookupError as error:
            raise CommandError(str(error)) from error
        for what, count in sorted(counts.items()):
            self.stdout.write(f"  {count} {what}")
        self.stdout.write(
            self.style.SUCCESS(
                "Demo data loaded." if counts else "Demo data already up to date: nothing changed."
            )
        )
