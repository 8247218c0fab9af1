"""The real worker: a separate `db_worker` process runs the load, is killed with SIGKILL in the
middle of writing, leaves nothing partial; the page says it stopped; run again, it loads once.
And a cancel reaches it in the middle of writing (PostgreSQL: SQLite lets the web request no
write while the worker writes), which rolls back what it had written.

On PostgreSQL the worker shares the test database. SQLite's test database lives in this
process's memory, so the worker gets a file copy and this test's connection switches to it.
"""

import datetime
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from crime_stats.importers import ImportOptions, check_upload, upload_store
from crime_stats.models import CrimeFigure, FigureChange, ImportBatch, ImportJob, ReportingPeriod
from crime_stats.tasks import CANCELLED, WORKER_STOPPED
from tests.conftest import postgresql_only

pytestmark = pytest.mark.django_db(transaction=True)

REVISION = b"CSP,Period,Rate\nLeicester,April-December 2018,95.25\nNottingham,2019/20,80\n"
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@contextmanager
def shared_database(tmp_path: Path) -> Iterator[str]:
    """Yield the DATABASE_URL of a database this test and a worker process both use."""
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        yield (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or 'localhost'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        )
        return
    path = tmp_path / "worker.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as copy:
        connection.connection.backup(copy)
    copy.close()
    in_memory = connections["default"]
    on_file = in_memory.__class__({**in_memory.settings_dict, "NAME": str(path)}, "default")
    connections["default"] = on_file
    try:
        yield f"sqlite:///{path}"
    finally:
        on_file.close()
        connections["default"] = in_memory


def _worker_env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "1",
        "SLP_TASKS": "worker",
        "SLP_IMPORT_WRITE_CHUNK": "1",  # a cancel check, and here a pause, after each figure
    }


def _written() -> list:
    """Return everything a load writes: figures, journal, history, periods, batch statuses."""
    return [
        list(CrimeFigure.objects.order_by("pk").values_list("pk", "rate", "batch")),
        FigureChange.objects.count(),
        CrimeFigure.history.count(),
        list(ReportingPeriod.objects.values_list("slug", flat=True)),
        list(ImportBatch.objects.order_by("pk").values_list("status", flat=True)),
    ]


def _wait_for(path: Path, worker: subprocess.Popen, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert worker.poll() is None, "the worker exited before it began writing"
        assert time.monotonic() < deadline, "the worker never began writing"
        time.sleep(0.05)


def test_a_worker_killed_mid_load_leaves_nothing_and_the_load_runs_again(
    tmp_path, client_for, settings
):
    settings.TASKS = DATABASE_TASKS  # enqueue for the worker process, not run here
    with shared_database(tmp_path) as database_url:
        admin = User.objects.get(username="admin")
        client = client_for(admin)
        batch = upload_store(
            content=REVISION, file_name="figures.csv", options=ImportOptions(), population=None,
            population_name="", user=admin,
        )  # fmt: skip
        check_upload(batch=batch)
        before = _written()
        client.post(reverse("data_confirm", args=[batch.pk]))  # queued for the worker
        job = batch.jobs.get(kind="confirm")
        assert job.state == "queued"
        connections.close_all()

        marker = tmp_path / "mid-commit"
        log = (tmp_path / "worker.log").open("w")
        worker = subprocess.Popen(
            [sys.executable, "tests/crime_stats/paused_worker.py", str(marker)],
            cwd=settings.BASE_DIR, env=_worker_env(database_url), stdout=log, stderr=log,
        )  # fmt: skip
        try:
            _wait_for(marker, worker, seconds=60)
            worker.send_signal(signal.SIGKILL)
        finally:
            worker.kill()
            worker.wait(timeout=30)

        assert _written() == before  # the first figure was written, uncommitted: rolled back
        job.refresh_from_db()
        assert job.state == "running"  # as the dead worker left it
        ImportJob.objects.filter(pk=job.pk).update(
            heartbeat_at=timezone.now() - datetime.timedelta(minutes=5)  # five minutes on
        )
        page = client.get(reverse("data_batch", args=[batch.pk])).content.decode()
        assert "The worker stopped while loading the figures" in page

        client.post(reverse("data_rerun", args=[batch.pk]))
        connections.close_all()
        rerun = subprocess.run(
            [sys.executable, "manage.py", "db_worker", "--batch", "--no-reload",
             "--no-startup-delay"],
            cwd=settings.BASE_DIR, env=_worker_env(database_url), capture_output=True,
            text=True, timeout=120,
        )  # fmt: skip
        assert rerun.returncode == 0, rerun.stderr

        batch.refresh_from_db()
        assert batch.status == ImportBatch.Status.COMMITTED
        jobs = list(batch.jobs.filter(kind="confirm").order_by("pk"))
        assert [j.state for j in jobs] == ["failed", "succeeded"]
        assert jobs[0].message.startswith(WORKER_STOPPED.split("(")[0])
        figures = CrimeFigure.objects.filter(batch=batch)
        assert sorted(figures.values_list("csp__name", "rate")) == [
            ("Leicester", Decimal("95.250")),
            ("Nottingham", Decimal("80.000")),
        ]
        assert FigureChange.objects.count() == before[1] + 2  # each figure journalled once
        assert CrimeFigure.history.count() == before[2] + 2


@pytest.mark.postgres
def test_a_cancel_reaches_the_worker_mid_write_and_nothing_is_kept(tmp_path, client_for, settings):
    postgresql_only()
    settings.TASKS = DATABASE_TASKS
    with shared_database(tmp_path) as database_url:
        admin = User.objects.get(username="admin")
        client = client_for(admin)
        batch = upload_store(
            content=REVISION, file_name="figures.csv", options=ImportOptions(), population=None,
            population_name="", user=admin,
        )  # fmt: skip
        check_upload(batch=batch)
        before = _written()
        client.post(reverse("data_confirm", args=[batch.pk]))
        marker = tmp_path / "mid-commit"
        log = (tmp_path / "worker.log").open("w")
        worker = subprocess.Popen(
            [sys.executable, "tests/crime_stats/paused_worker.py", str(marker), "until-cancel"],
            cwd=settings.BASE_DIR, env=_worker_env(database_url), stdout=log, stderr=log,
        )  # fmt: skip
        try:
            _wait_for(marker, worker, seconds=60)
            deadline = time.monotonic() + 30  # the monitor thread writes the phase within a tick
            while batch.jobs.get(kind="confirm").phase != "Writing the figures":
                assert time.monotonic() < deadline, "the page never heard the worker was writing"
                time.sleep(0.1)
            client.post(reverse("data_cancel", args=[batch.pk]))
            deadline = time.monotonic() + 60
            while batch.jobs.get(kind="confirm").state == "running":
                assert time.monotonic() < deadline, "the worker never stopped"
                time.sleep(0.2)
        finally:
            worker.kill()
            worker.wait(timeout=30)

        job = batch.jobs.get(kind="confirm")
        assert (job.state, job.message) == ("cancelled", CANCELLED["confirm"])
        assert _written() == before
        page = client.get(reverse("data_batch", args=[batch.pk])).content.decode()
        assert CANCELLED["confirm"] in page and "Confirm and load the figures" in page
