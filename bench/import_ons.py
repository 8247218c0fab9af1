"""Benchmark: a national-scale Home Office (ons layout) file imported into PostgreSQL.

Generates about a million rows (310 CSPs × 3 financial years × 4 quarters × 269 offence codes),
then measures in the same run:

- the floor: PostgreSQL COPY of the same file into a bare staging table (best of three);
- the portal's import (read in chunks, every row checked, summed to offence groups and All crime,
  compared with the stored figures, written with bulk operations), in a child process so its
  peak memory (maxrss) is its own;
- undoing that import (in the same child), as a ratio to the import;
- what a hand-written importer does: a per-row ORM update_or_create loop over a 20,000-row
  sample, scaled to the whole file;
- the set-based writes at national scale: a long-layout file of 68,200 figures (310 CSPs × 22
  periods × 10 categories) created, then revised by a second file, each undone again, in a
  child process, every write with its history and journal.

Run: DATABASE_URL=postgres://… .venv/bin/python bench/import_ons.py   (see bench/README.md)
It creates 310 bench CSPs (force names start `Benchforce`) and removes their figures before the
import, so each run measures a first load. Nothing outside the bench CSPs is touched.
"""

from __future__ import annotations

import csv
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "slp_portal.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

CSPS, YEARS, QUARTERS, CODES = 310, (2017, 2018, 2019), (1, 2, 3, 4), 269
LONG_YEARS, LONG_CATEGORIES = range(1997, 2019), 10  # 22 financial years: 68,200 figures
SAMPLE = 20_000
GROUPS = [
    "Violence against the person", "Sexual offences", "Robbery", "Theft offences",
    "Criminal damage and arson", "Drug offences", "Possession of weapons offences",
    "Public order offences", "Miscellaneous crimes against society", "Fraud offences",
]  # fmt: skip
HEADER = [
    "Financial Year", "Financial Quarter", "Force Name", "CSP Name", "Offence Description",
    "Offence Group", "Offence Subgroup", "Offence Code", "Offence Count",
]  # fmt: skip


def setup_django() -> None:
    import django

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (the benchmark measures COPY).")
    django.setup()


def bench_csps() -> list[tuple[str, str]]:
    """Return (force, name) of the bench CSPs: 31 forces of 10 CSPs."""
    return [(f"Benchforce {n // 10:02d}", f"Benchplace {n:03d}") for n in range(CSPS)]


def generate(path: Path) -> int:
    """Write the ons-layout file; return its number of data rows."""
    codes = [(f"{n:03d}", f"Offence {n:03d}", GROUPS[n % len(GROUPS)]) for n in range(CODES)]
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for year in YEARS:
            label = f"{year}/{(year + 1) % 100:02d}"
            for quarter in QUARTERS:
                for index, (force, name) in enumerate(bench_csps()):
                    writer.writerows(
                        [label, quarter, force, name, description, group, group, code,
                         (index * 7 + int(code) * 3 + quarter) % 40]
                        for code, description, group in codes
                    )  # fmt: skip
                    rows += len(codes)
    return rows


def prepare_database() -> None:
    from django.core.management import call_command
    from django.db import connection

    from crime_stats.models import CSP

    call_command("migrate", verbosity=0)
    existing = set(
        CSP.objects.filter(force__startswith="Benchforce").values_list("name", flat=True)
    )
    CSP.objects.bulk_create(
        CSP(force=force, name=name, ons_code=f"E229{n:05d}")
        for n, (force, name) in enumerate(bench_csps())
        if name not in existing
    )
    # Remove the bench CSPs' figures (and their journal and history) so the import is a first load.
    with connection.cursor() as cursor:
        bench = "SELECT id FROM crime_stats_csp WHERE force LIKE 'Benchforce%%'"
        cursor.execute(f"DELETE FROM crime_stats_figurechange WHERE csp_id IN ({bench})")
        cursor.execute(f"DELETE FROM crime_stats_historicalcrimefigure WHERE csp_id IN ({bench})")
        cursor.execute(f"DELETE FROM crime_stats_crimefigure WHERE csp_id IN ({bench})")


def measure_copy(path: Path) -> float:
    """Return seconds for COPY of the file into a bare staging table (the floor)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_ons_staging")
        cursor.execute(
            "CREATE TABLE bench_ons_staging (" + ", ".join(f"c{n} text" for n in range(9)) + ")"
        )
        start = time.perf_counter()
        with path.open("rb") as handle:
            cursor.cursor.copy_expert(
                "COPY bench_ons_staging FROM STDIN WITH (FORMAT csv, HEADER true)", handle
            )
        seconds = time.perf_counter() - start
        cursor.execute("DROP TABLE bench_ons_staging")
    return seconds


def population_table() -> bytes:
    lines = ["CSP,Police Force,Population"]
    lines += [
        f"{name},{force},{150_000 + n * 1000}" for n, (force, name) in enumerate(bench_csps())
    ]
    return ("\n".join(lines) + "\n").encode()


def child_import(path: str) -> None:
    """Import the file as the command does, then undo it; print seconds, peak memory and counts
    as JSON."""
    setup_django()
    from crime_stats.importers import ImportOptions, batches, import_figures, undo_batch

    # How much of the import is writing (figures, journal, history) rather than reading.
    writing = []
    commit_plan = batches.commit_plan

    def timed_commit(**kwargs) -> None:
        begin = time.perf_counter()
        commit_plan(**kwargs)
        writing.append(time.perf_counter() - begin)

    batches.commit_plan = timed_commit
    start = time.perf_counter()
    content = Path(path).read_bytes()
    plan, batch = import_figures(
        content=content, file_name="bench-national.csv", options=ImportOptions(format="ons"),
        population=population_table(),
    )  # fmt: skip
    seconds = time.perf_counter() - start
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    if batch is not None:
        undo_batch(batch=batch, user=None)
    undo_seconds = time.perf_counter() - start
    print(json.dumps({
        "undo_seconds": undo_seconds,
        "writing_seconds": sum(writing),
        "seconds": seconds,
        "maxrss_mb": maxrss,
        "rows": plan.parsed.rows_read,
        "created": len(plan.created),
        "problems": [str(p) for p in plan.problems[:5]],
        "batch": batch.pk if batch else None,
    }))  # fmt: skip


def generate_long(path: Path, revision: int) -> int:
    """Write a long-layout file (CSP, Period, Category, Rate); return its number of figures."""
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["CSP", "Period", "Category", "Rate"])
        for index, (force, name) in enumerate(bench_csps()):
            for year in LONG_YEARS:
                label = f"{year}/{(year + 1) % 100:02d}"
                writer.writerows(
                    [f"{force} - {name}", label, f"Bench category {category}",
                     f"{(index * 7 + year + category * 3 + revision) % 90 + 10}.5"]
                    for category in range(LONG_CATEGORIES)
                )  # fmt: skip
                rows += LONG_CATEGORIES
    return rows


def child_long(first: str, second: str) -> None:
    """Create, revise, undo the revision, undo the creation; print each one's seconds as JSON."""
    setup_django()
    from crime_stats.importers import ImportOptions, import_figures, undo_batch

    def timed(action):
        start = time.perf_counter()
        result = action()
        return time.perf_counter() - start, result

    def load(path: str):
        content = Path(path).read_bytes()
        return import_figures(content=content, file_name=Path(path).name, options=ImportOptions())

    create, (plan, created) = timed(lambda: load(first))
    revise, (revision_plan, revised) = timed(lambda: load(second))
    undo_revision, _ = timed(lambda: undo_batch(batch=revised, user=None))
    undo_creation, _ = timed(lambda: undo_batch(batch=created, user=None))
    print(json.dumps({
        "created": len(plan.created), "revised": len(revision_plan.updated),
        "create": create, "revise": revise, "undo_revision": undo_revision,
        "undo_creation": undo_creation,
    }))  # fmt: skip


def measure_orm_loop(path: Path) -> float:
    """Return seconds for update_or_create on SAMPLE rows, one query pair per row, rolled back."""
    import datetime
    from decimal import Decimal

    from django.db import transaction

    from crime_stats.models import CSP, CrimeFigure, ReportingPeriod

    csps = {(c.force, c.name): c for c in CSP.objects.filter(force__startswith="Benchforce")}
    with path.open(encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        sample = [next(reader) for _ in range(SAMPLE)]

    class Rollback(Exception):
        pass

    start = time.perf_counter()
    try:
        with transaction.atomic():
            periods = {}
            for year, quarter in {(row[0], row[1]) for row in sample}:
                first = int(year[:4])
                month = 4 + 3 * (int(quarter) - 1)
                begin = datetime.date(first + (month > 12), (month - 1) % 12 + 1, 1)
                periods[(year, quarter)], _ = ReportingPeriod.objects.get_or_create(
                    slug=f"bench-{first}-q{quarter}",
                    defaults={"label": f"Bench {year} Q{quarter}", "start": begin,
                              "end": begin + datetime.timedelta(days=89)},
                )  # fmt: skip
            for year, quarter, force, name, description, _g, _s, _code, count in sample:
                offences = int(count)
                CrimeFigure.objects.update_or_create(
                    csp=csps[(force, name)], period=periods[(year, quarter)],
                    category=description,
                    defaults={"offences": offences, "population": 200_000,
                              "rate": Decimal(offences * 1000) / 200_000},
                )  # fmt: skip
            raise Rollback
    except Rollback:
        pass
    return time.perf_counter() - start


def main() -> None:
    setup_django()
    prepare_database()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "national.csv"
        start = time.perf_counter()
        rows = generate(path)
        print(f"generated {rows:,} rows ({path.stat().st_size / 1e6:,.1f} MB) "
              f"in {time.perf_counter() - start:,.1f} s")  # fmt: skip
        # The floor is the best of three: on a shared machine one COPY can take three times another.
        copy_seconds = min(measure_copy(path) for _ in range(3))
        child = subprocess.run(
            [sys.executable, __file__, "--child", str(path)],
            capture_output=True, text=True, check=True, env=os.environ,
        )  # fmt: skip
        result = json.loads(child.stdout.strip().splitlines()[-1])
        orm_seconds = measure_orm_loop(path) * rows / SAMPLE
        first, second = Path(folder) / "long-2017.csv", Path(folder) / "long-2018.csv"
        generate_long(first, revision=0)
        generate_long(second, revision=1)
        prepare_database()
        child = subprocess.run(
            [sys.executable, __file__, "--child-long", str(first), str(second)],
            capture_output=True, text=True, check=True, env=os.environ,
        )  # fmt: skip
        long = json.loads(child.stdout.strip().splitlines()[-1])
    seconds = result["seconds"]
    out = io.StringIO()
    out.write(f"rows read:                 {result['rows']:,}\n")
    out.write(f"figures created:           {result['created']:,} (batch {result['batch']})\n")
    out.write(f"problems:                  {result['problems'] or 'none'}\n")
    out.write(f"import, whole:             {seconds:,.1f} s = {rows / seconds:,.0f} rows/s; "
              f"writing {result['writing_seconds']:,.2f} s of it\n")  # fmt: skip
    out.write(f"peak memory (maxrss):      {result['maxrss_mb']:,.0f} MB\n")
    out.write(f"COPY into staging (floor): {copy_seconds:,.2f} s; import / COPY = "
              f"{seconds / copy_seconds:,.1f}× (target ≤ 3×)\n")  # fmt: skip
    out.write(f"undo of the import:        {result['undo_seconds']:,.2f} s; undo / import = "
              f"{result['undo_seconds'] / seconds:,.2f}× (target ≤ 1×)\n")  # fmt: skip
    out.write(f"per-row ORM loop, scaled:  {orm_seconds:,.0f} s ({SAMPLE:,}-row sample); "
              f"ORM / import = {orm_seconds / seconds:,.0f}× (target ≥ 50×)\n")  # fmt: skip
    out.write(
        f"long layout, {long['created']:,} figures: create {long['create']:,.1f} s, "
        f"revise {long['revised']:,} {long['revise']:,.1f} s, undo the revision "
        f"{long['undo_revision']:,.1f} s, undo the creation {long['undo_creation']:,.1f} s; "
        f"undo / create = {long['undo_creation'] / long['create']:,.2f}× (target ≤ 1×)\n"
    )
    print(out.getvalue(), end="")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child_import(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "--child-long":
        child_long(sys.argv[2], sys.argv[3])
    else:
        main()
