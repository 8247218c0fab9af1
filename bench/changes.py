"""What changed between two board meetings, as history grows: queries and time at 1× and 10×.

In the database named by DATABASE_URL (dropped and created afresh; its name must contain
`bench`), loads the seed and demo data, then appends history inside a week-long window: each
round revises every figure of the plan's table (one committed batch, with history) and logs
one progress update on every action (a tenth of them corrections). It measures the changes
page's builder (`partnership.changes.changes_between_days`) as the chair sees it after
BASE_ROUNDS rounds and again after 10× as many: the number of SQL queries (target: equal) and
the median time of REPEATS runs, printed as a ratio to the first.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/slp_bench_changes make bench-changes
"""

from __future__ import annotations

import datetime
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "slp_portal.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

from bench.dashboard import database_url, load_seed_and_demo, recreate_database  # noqa: E402

BASE_ROUNDS, SCALE, REPEATS = 3, 10, 5


def add_rounds(rounds: int, start: datetime.datetime, offset: int) -> None:
    """Append `rounds` rounds of figure revisions and progress updates after `start`."""
    from django.contrib.auth.models import User
    from simple_history.utils import bulk_update_with_history

    from actions.models import Action, ProgressUpdate
    from crime_stats.models import CrimeFigure, ImportBatch

    admin, owner = User.objects.get(username="admin"), User.objects.get(username="owner")
    actions = list(Action.objects.all())
    for number in range(offset, offset + rounds):
        moment = start + datetime.timedelta(minutes=10 * number)
        batch = ImportBatch.objects.create(
            file_name=f"revision-{number}.csv", sha256=f"{number:064x}", format="long",
            uploaded_by=admin, status="committed", committed_at=moment,
        )  # fmt: skip
        figures = list(CrimeFigure.objects.all())
        for figure in figures:
            figure.rate += Decimal("0.1") * (1 if number % 2 else -1)
            figure.batch = batch
        bulk_update_with_history(figures, CrimeFigure, ["rate", "batch"], default_user=admin,
                                 default_date=moment)  # fmt: skip
        updates = ProgressUpdate.objects.bulk_create(
            ProgressUpdate(
                action=action, reported_on=datetime.date(2020, 3, 1), author=owner,
                status=("red", "amber", "green")[(number + index) % 3],
                narrative="Bench.", spend=Decimal("10"),
            )
            for index, action in enumerate(actions)
        )  # fmt: skip
        ProgressUpdate.objects.filter(pk__in=[u.pk for u in updates]).update(created_at=moment)


def measure(first_day: datetime.date, last_day: datetime.date) -> tuple[int, float, int]:
    """Return (queries, median seconds, changes listed) of the chair's changes in the window."""
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from partnership.changes import changes_between_days

    chair = User.objects.get(username="chair")
    with CaptureQueriesContext(connection) as captured:
        report = changes_between_days(first_day, last_day, chair)
    times = []
    for _ in range(REPEATS):
        began = time.perf_counter()
        changes_between_days(first_day, last_day, chair)
        times.append(time.perf_counter() - began)
    return len(captured), statistics.median(times), report.count


def main() -> None:
    recreate_database(database_url())
    import django

    django.setup()
    from django.utils import timezone

    load_seed_and_demo()
    start = timezone.now() + datetime.timedelta(days=2)
    first_day = timezone.localtime(start).date()
    last_day = first_day + datetime.timedelta(days=6)
    add_rounds(BASE_ROUNDS, start, 0)
    base = measure(first_day, last_day)
    add_rounds(BASE_ROUNDS * (SCALE - 1), start, BASE_ROUNDS)
    scaled = measure(first_day, last_day)
    print(f"{'history':>10} {'changes listed':>15} {'queries':>8} {'median ms':>10} {'ratio':>6}")
    for label, (queries, seconds, count) in (("1×", base), (f"{SCALE}×", scaled)):
        print(f"{label:>10} {count:>15,} {queries:>8} {seconds * 1000:>10.1f} "
              f"{seconds / base[1]:>6.2f}")  # fmt: skip
    verdict = "constant" if scaled[0] == base[0] else "GREW"
    print(f"Queries {base[0]} → {scaled[0]}: {verdict} (target: constant).")


if __name__ == "__main__":
    main()
