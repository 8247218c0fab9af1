"""A real task worker (`manage.py db_worker`) that pauses inside an import's write transaction.

    python tests/crime_stats/paused_worker.py MARKER [until-cancel]

After the first chunk of figures is written (not yet committed) it creates the file MARKER and
waits: for good, so test_import_worker.py can kill it with SIGKILL at that point, mid-commit;
or, with `until-cancel`, until the admin's cancel is in the database and the job's monitor
thread has had time to read it, then carries on to its next cancel check.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "slp_portal.settings")


def main(marker: Path, until_cancel: bool) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from crime_stats.importers import writes
    from crime_stats.models import ImportJob

    insert_rows = writes.insert_rows

    def insert_then_pause(*args, **kwargs) -> None:
        insert_rows(*args, **kwargs)
        marker.touch()
        if not until_cancel:
            time.sleep(600)
        while not ImportJob.objects.filter(cancel_requested=True, state="running").exists():
            time.sleep(0.1)
        time.sleep(3 * settings.IMPORT_JOB_HEARTBEAT_SECONDS)

    writes.insert_rows = insert_then_pause
    call_command("db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.1")


if __name__ == "__main__":
    main(Path(sys.argv[1]), until_cancel=sys.argv[2:] == ["until-cancel"])
