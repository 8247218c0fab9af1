from django.core.management.base import BaseCommand

from slp_portal.seed import load_seed


class Command(BaseCommand):
    help = (
        "Load the partnership's real plan data: CSPs, the MSG, periods, figures, partners, "
        "plan versions, priorities and themes. Idempotent: a second run changes nothing."
    )

    def handle(self, *args, **options) -> None:
        counts = load_seed()
        if counts:
            for what, count in sorted(counts.items()):
                self.stdout.write(f"  {count} {what}")
            self.stdout.write(self.style.SUCCESS("Seed data loaded."))
        else:
            self.stdout.write(self.style.SUCCESS("Seed data already up to date: nothing changed."))
