"""A real task worker (`manage.py db_worker`) that pauses inside an import's write transaction.

    python tests/crime_stats/paused_worker.py MARKER

After the first chunk of figures is written (not yet committed) it creates the file MARKER and
sleeps, so test_import_worker.py can kill it with SIGKILL at that point, mid-commit.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "slp_portal.settings")


def main(marker: Path) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from crime_stats.importers import writes

    insert_rows = writes.insert_rows

    def insert_then_pause(*args, **kwargs) -> None:
        insert_rows(*args, **kwargs)
        marker.touch()
        time.sleep(600)

    writes.insert_rows = insert_then_pause
    call_command("db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.1")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
