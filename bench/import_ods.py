"""Benchmark: the Home Office national CSP file as published (one ODS), read and imported.

Writes a publication-shaped ODS by streaming XML into the zip (never in memory): a Notes sheet
and five year sheets `2021_22` … `2025_26` headed as the publication is, 310 places (31 of them
`Unassigned Benchforce NN`) × 129 offence codes × 4 quarters × 5 years = 799,800 rows, counts
as float cells, every row padded to column XFD and every sheet to row 1,048,576 with repeated
empty cells, `Drug offences` spelled `Drug Offences` from 2023/24. Then measures, in one run:

- the floor: merely decompressing `content.xml` (zipfile, 1 MB blocks, bytes discarded), and
  that plus expat checking the XML without building anything (what any XML parse costs);
- reading: `read_sheets` and every chunk of every sheet, in a child process (seconds, maxrss);

Ratios are of CPU seconds (user + system, `getrusage`), so a busy shared machine does not
distort them; wall seconds are printed beside them.
- the whole import: `manage.py load_crime_figures FILE --population P --skip-unknown-csps`
  (read, check, sum, compare, commit) in a child process (seconds, maxrss of that process).

Run: DATABASE_URL=postgres://… .venv/bin/python bench/import_ods.py   (see bench/README.md)
`--read-only` skips the import (no database needed); `--places N` (of 310) shrinks the file.
The import adds the bench CSPs of import_ons.py and removes their figures first.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "slp_portal.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

YEARS = ("2021/22", "2022/23", "2023/24", "2024/25", "2025/26")
CODES = 129
GROUPS = [
    "Violence against the person", "Sexual offences", "Robbery", "Theft offences",
    "Criminal damage and arson", "Drug offences", "Possession of weapons offences",
    "Public order offences", "Miscellaneous crimes against society", "Fraud offences",
]  # fmt: skip


def places() -> list[tuple[str, str]]:
    """Return (force, CSP) of the file: the 279 bench CSPs of import_ons.py and 31 Unassigned."""
    from import_ons import bench_csps

    csps = bench_csps()
    unassigned = [(force, f"Unassigned {force}") for force in sorted({f for f, _ in csps})]
    return [place for n, place in enumerate(csps) if n % 10 != 9] + unassigned


def rows_of(year_index: int, year: str, how_many: int):
    from tests.crime_stats.publication_files import PublicationRow

    codes = [
        (f"{n:03d}", f"Offence description number {n:03d}", GROUPS[n % 10]) for n in range(CODES)
    ]
    for quarter in (1, 2, 3, 4):
        for index, (force, csp) in enumerate(places()[-how_many:]):
            for code, description, group in codes:
                if group == "Drug offences" and year_index >= 2:
                    group = "Drug Offences"
                count = (index * 7 + int(code) * 3 + quarter * 11 + year_index) % 97
                yield PublicationRow(
                    year, quarter, force, csp, description, group, f"{group} subgroup", code,
                    count * 13 if int(code) % 17 == 0 else count,
                )  # fmt: skip


def generate(path: Path, how_many: int) -> None:
    from tests.crime_stats.publication_files import write_publication_ods

    with path.open("wb") as handle:
        write_publication_ods(
            handle,
            [(year.replace("/", "_"), rows_of(n, year, how_many)) for n, year in enumerate(YEARS)],
        )


def cpu() -> float:
    """Return this process's CPU seconds (user + system): fair on a shared, busy machine."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def inflate(path: Path) -> tuple[float, float]:
    """Return (wall, CPU) seconds to decompress content.xml, bytes thrown away (the floor)."""
    start, start_cpu = time.perf_counter(), cpu()
    with zipfile.ZipFile(path) as archive, archive.open("content.xml") as stream:
        while stream.read(1 << 20):
            pass
    return time.perf_counter() - start, cpu() - start_cpu


def expat_only(path: Path) -> tuple[float, float]:
    """Return (wall, CPU) seconds to inflate content.xml and check it with expat (no tree)."""
    import pyexpat

    start, start_cpu = time.perf_counter(), cpu()
    parser = pyexpat.ParserCreate()
    with zipfile.ZipFile(path) as archive, archive.open("content.xml") as stream:
        while block := stream.read(1 << 14):  # the reader's 16 KB feeds
            parser.Parse(block, False)
    parser.Parse(b"", True)
    return time.perf_counter() - start, cpu() - start_cpu


def child_read(path: str) -> None:
    """Read every row as the import does; print seconds, rows and peak memory as JSON."""
    import django

    django.setup()
    from crime_stats.importers.readers import read_sheets

    start = time.perf_counter()
    content = Path(path).read_bytes()
    rows, sheets = 0, []
    for sheet in read_sheets(content, file_name=Path(path).name):
        sheets.append(sheet.name)
        rows += sum(len(chunk) for chunk in sheet.chunks)
    print(json.dumps({
        "seconds": time.perf_counter() - start, "cpu": cpu(), "rows": rows, "sheets": sheets,
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))  # fmt: skip


def child_import(path: str, population: str) -> None:
    """Run load_crime_figures as an admin would; print seconds and peak memory as JSON."""
    import django

    django.setup()
    import io

    from django.core.management import call_command

    out = io.StringIO()
    start = time.perf_counter()
    call_command(
        "load_crime_figures", path, population=population, skip_unknown_csps=True, stdout=out
    )
    print(json.dumps({
        "seconds": time.perf_counter() - start, "cpu": cpu(),
        "output": out.getvalue().strip()[-600:],
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))  # fmt: skip


def run_child(*args: str) -> dict:
    child = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, env=os.environ
    )
    if child.returncode:
        sys.exit(f"child {args[0]} failed:\n{child.stdout[-2000:]}\n{child.stderr[-4000:]}")
    return json.loads(child.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--read-only", action="store_true", help="skip the import")
    parser.add_argument("--places", type=int, default=310, help="fewer for a smaller file")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "prc-csp-mar2021-mar2026-tables-230726.ods"
        start = time.perf_counter()
        generate(path, options.places)
        with zipfile.ZipFile(path) as archive:
            xml = archive.getinfo("content.xml")
        print(f"generated: {path.stat().st_size / 1e6:,.1f} MB packed, content.xml "
              f"{xml.file_size / 1e6:,.0f} MB ({xml.file_size / xml.compress_size:,.0f}:1) in "
              f"{time.perf_counter() - start:,.1f} s")  # fmt: skip
        floor_wall, floor = min(inflate(path) for _ in range(3))
        print(
            f"inflate content.xml (floor, best of 3): {floor_wall:,.2f} s wall, {floor:,.2f} s CPU"
        )
        expat_wall, expat = expat_only(path)
        print(f"expat alone (no tree, no handlers): {expat_wall:,.1f} s wall, {expat:,.1f} s CPU "
              f"= {expat / floor:,.1f}× inflate (the floor of any XML parse)")  # fmt: skip
        read = run_child("--child-read", str(path))
        print(f"read every row:  {read['seconds']:,.1f} s wall, {read['cpu']:,.1f} s CPU = "
              f"{read['cpu'] / floor:,.1f}× inflate, {read['cpu'] / expat:,.1f}× expat alone; "
              f"{read['rows']:,} rows in {', '.join(read['sheets'])}; "
              f"peak memory {read['maxrss_mb']:,.0f} MB")  # fmt: skip
        if options.read_only:
            return
        from import_ons import population_table, prepare_database, setup_django

        setup_django()
        prepare_database()
        population = Path(folder) / "population.csv"
        population.write_bytes(population_table())
        whole = run_child("--child-import", str(path), str(population))
        print(f"whole import:    {whole['seconds']:,.1f} s wall, {whole['cpu']:,.1f} s CPU = "
              f"{whole['cpu'] / floor:,.1f}× inflate (target ≤ 5×), "
              f"{whole['cpu'] / expat:,.1f}× expat alone; peak memory "
              f"{whole['maxrss_mb']:,.0f} MB (target < 1,024 MB)")  # fmt: skip
        print("  " + whole["output"].replace("\n", "\n  "))


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--child-read":
        child_read(sys.argv[2])
    elif len(sys.argv) >= 4 and sys.argv[1] == "--child-import":
        child_import(sys.argv[2], sys.argv[3])
    else:
        main()
