"""Imports in the background: the task the worker runs, and starting, cancelling, rerunning it.

An ImportJob is one run of an import's slow work on a batch: checking the uploaded file,
loading it (confirm) or undoing it. The web request only records the job and enqueues
`run_import_job` through the Django Tasks API (django-tasks, with django-tasks-db's database
backend: the queue is a table in the portal's database, and the job and its task are committed
together). The worker (`manage.py db_worker`) runs it and writes its progress to the job, which
the batch page polls. A worker killed mid-job leaves the job running with a heartbeat that
stops; the page then says it stopped and offers to run it again. All the job writes is one
transaction, so nothing of it remains.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import DatabaseError, IntegrityError, connection, connections, transaction
from django.utils import timezone
from django_tasks import task

from crime_stats.importers.batches import (
    ImportRefused,
    cancel_check,
    check_upload,
    confirm_upload,
    undo_batch,
    upload_store,
)
from crime_stats.importers.progress import ImportCancelled, Progress
from crime_stats.models import ImportBatch, ImportJob

logger = logging.getLogger(__name__)

ALREADY_RUNNING = "This batch is already being worked on ({kind}): wait for it, or cancel it."
NOTHING_RUNNING = "Nothing is running for this batch."
NOT_RERUNNABLE = "Only a job that failed or whose worker stopped can be run again."
CANCELLED_BEFORE_START = "Cancelled before the worker started it: nothing was written."
CANCELLED_STOPPED = "Cancelled after its worker stopped: nothing it began was written."
CANCEL_REQUESTED = (
    "Cancelling: the worker stops at its next checkpoint and rolls back what it had begun."
)
CANCELLED = {
    ImportJob.Kind.CHECK: "Checking was cancelled: the file is not kept and nothing was written.",
    ImportJob.Kind.CONFIRM: "Loading was cancelled: nothing was written. The preview stands.",
    ImportJob.Kind.UNDO: "Undoing was cancelled: the figures are as they were.",
}
FAILED = (
    "An unexpected error stopped it and nothing was written (the error is in the worker's log). "
    "Run it again, or upload the file again."
)
WORKER_STOPPED = (
    "The worker stopped while running this (last heard from {seen}): nothing it began was "
    "written. Run it again."
)


def job_start(
    *,
    batch: ImportBatch,
    kind: str,
    user: AbstractBaseUser | None,
    arguments: dict | None = None,
) -> ImportJob:
    """Return a new job for the batch, queued for the worker; refused while another is active."""
    with transaction.atomic():
        job = ImportJob(batch=batch, kind=kind, requested_by=user, arguments=arguments or {})
        try:
            with transaction.atomic():
                job.save()
        except IntegrityError:
            active = batch.jobs.active().first()
            label = active.get_kind_display().lower() if active else "another job"
            raise ImportRefused(ALREADY_RUNNING.format(kind=label)) from None
        # With the database backend the task row commits with the job, so the worker never
        # sees one without the other. (The immediate backend runs the job right here.)
        result = run_import_job.enqueue(job.pk)
        ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.refresh_from_db()
    return job


def upload_and_check(*, user: AbstractBaseUser, **upload: object) -> ImportBatch:
    """Return a new batch holding the uploaded file, its check queued for the worker."""
    with transaction.atomic():
        batch = upload_store(user=user, **upload)  # type: ignore[arg-type]
        job_start(batch=batch, kind=ImportJob.Kind.CHECK, user=user)
    return batch


def job_cancel(*, batch: ImportBatch) -> str:
    """Return what cancelling did: a queued job is cancelled now, a running one at its next stop."""
    job = batch.jobs.active().first()
    if job is None:
        raise ImportRefused(NOTHING_RUNNING)
    # A job the worker has not started, or whose worker stopped, is cancelled here and now.
    now = timezone.now()
    not_running = ImportJob.objects.filter(pk=job.pk, state=ImportJob.State.QUEUED)
    if job.is_stale(now):
        not_running = ImportJob.objects.filter(
            pk=job.pk, state=ImportJob.State.RUNNING, heartbeat_at=job.heartbeat_at
        )
    message = CANCELLED_BEFORE_START if job.state == ImportJob.State.QUEUED else CANCELLED_STOPPED
    if not_running.update(state=ImportJob.State.CANCELLED, finished_at=now, message=message):
        if job.state == ImportJob.State.RUNNING:
            _retire_task_result(job.task_id)
        if job.kind == ImportJob.Kind.CHECK:
            cancel_check(batch=batch)
        return message
    ImportJob.objects.filter(pk=job.pk, state=ImportJob.State.RUNNING).update(cancel_requested=True)
    return CANCEL_REQUESTED


def job_rerun(*, batch: ImportBatch, user: AbstractBaseUser | None) -> ImportJob:
    """Return a new job doing what the batch's failed (or stopped) latest job set out to do."""
    with transaction.atomic():
        job = batch.jobs.select_for_update().first()
        now = timezone.now()
        if job is None or not (job.state == ImportJob.State.FAILED or job.is_stale(now)):
            raise ImportRefused(NOT_RERUNNABLE)
        if job.state == ImportJob.State.RUNNING:
            seen = timezone.localtime(job.heartbeat_at or job.started_at or job.enqueued_at)
            job.state, job.finished_at = ImportJob.State.FAILED, now
            job.message = WORKER_STOPPED.format(seen=f"{seen:%H:%M:%S}")
            job.save(update_fields=["state", "finished_at", "message"])
            _retire_task_result(job.task_id)
        return job_start(batch=batch, kind=job.kind, user=user, arguments=job.arguments)


def _retire_task_result(task_id: str) -> None:
    """Mark the dead job's task result failed, so the task table does not show it running."""
    try:
        uuid.UUID(task_id)
    except ValueError:
        return  # not the database backend's: nothing stored
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(id=task_id, status="RUNNING").update(
        status="FAILED", finished_at=timezone.now()
    )


class JobProgress(Progress):
    """Progress written to an ImportJob, and the admin's cancel read back from it.

    In the worker a monitor thread does the writing, through a database connection of its own:
    the import's write transaction never holds it up, the page sees each chunk as it is done,
    and the heartbeat shows the worker alive. (SQLite lets no other connection write while the
    import writes, so there it pauses in that span.) Inside a transaction, as the immediate
    backend runs tasks in a request or a test, it writes inline at each phase instead.
    """

    def __init__(self, job_id: int, *, threaded: bool) -> None:
        self.job_id = job_id
        self.threaded = threaded
        self._lock = threading.Lock()
        self._state: dict = {"phase": "", "done": 0, "total": None, "unit": "rows"}
        self._cancelled = threading.Event()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._in_write_transaction = False

    def phase(self, name: str, *, total: int | None = None, unit: str = "rows") -> None:
        with self._lock:
            self._state = {"phase": name[:120], "done": 0, "total": total, "unit": unit}
        if self.threaded:
            self._wake.set()
        self.checkpoint()

    def advance(self, count: int) -> None:
        with self._lock:
            self._state["done"] += count

    def checkpoint(self) -> None:
        if not self.threaded:
            self._sync()
        if self._cancelled.is_set():
            raise ImportCancelled

    @contextmanager
    def writing(self) -> Iterator[None]:
        self._in_write_transaction = True
        try:
            yield
        finally:
            self._in_write_transaction = False

    @contextmanager
    def running(self) -> Iterator[None]:
        """Run the monitor thread (in the worker) for the duration of the job."""
        if not self.threaded:
            yield
            return
        monitor = threading.Thread(target=self._monitor, name=f"import-job-{self.job_id}")
        monitor.start()
        try:
            yield
        finally:
            self._stop.set()
            self._wake.set()
            monitor.join()

    def _sync(self) -> None:
        with self._lock:
            state = dict(self._state)
        ImportJob.objects.filter(pk=self.job_id).update(**state, heartbeat_at=timezone.now())
        if ImportJob.objects.filter(pk=self.job_id, cancel_requested=True).exists():
            self._cancelled.set()

    def _monitor(self) -> None:
        try:
            while not self._stop.is_set():
                paused = self._in_write_transaction and connection.vendor == "sqlite"
                if not paused:
                    try:
                        self._sync()
                    except DatabaseError:
                        logger.warning(
                            "Could not record the progress of import job %s", self.job_id
                        )
                self._wake.wait(settings.IMPORT_JOB_HEARTBEAT_SECONDS)
                self._wake.clear()
        finally:
            connections.close_all()  # this thread's own connections


def _check(job: ImportJob, progress: Progress) -> str:
    batch = check_upload(batch=job.batch, progress=progress)
    if batch.status == ImportBatch.Status.REJECTED:
        return f"Checked {batch.rows_read:,} rows: the file has problems, listed below."
    return (
        f"Checked {batch.rows_read:,} rows: {batch.rows_created:,} figures to create, "
        f"{batch.rows_updated:,} to revise, {batch.rows_unchanged:,} unchanged."
    )


def _confirm(job: ImportJob, progress: Progress) -> str:
    outcome = confirm_upload(
        batch=job.batch,
        user=job.requested_by,
        skip_unknown_csps=bool(job.arguments.get("skip_unknown_csps")),
        progress=progress,
    )
    if not outcome.committed:
        raise ImportRefused(outcome.message)
    batch = outcome.batch
    return (
        f"Loaded {batch.file_name}: {batch.rows_created:,} figures created, "
        f"{batch.rows_updated:,} revised, {batch.rows_unchanged:,} unchanged."
    )


def _undo(job: ImportJob, progress: Progress) -> str:
    count = undo_batch(batch=job.batch, user=job.requested_by, progress=progress)
    return f"Undid {job.batch.file_name}: {count:,} figures restored as they were."


RUNNERS: dict[str, Callable[[ImportJob, Progress], str]] = {
    ImportJob.Kind.CHECK: _check,
    ImportJob.Kind.CONFIRM: _confirm,
    ImportJob.Kind.UNDO: _undo,
}


def _finish(job_id: int, state: str, message: str) -> str:
    ImportJob.objects.filter(pk=job_id).update(
        state=state, message=message[:2000], finished_at=timezone.now(), phase=""
    )
    return message


@task()
def run_import_job(job_id: int) -> str:
    """Return what the job did, having run it: the worker's entry point for every import job."""
    now = timezone.now()
    started = ImportJob.objects.filter(pk=job_id, state=ImportJob.State.QUEUED).update(
        state=ImportJob.State.RUNNING, started_at=now, heartbeat_at=now
    )
    if not started:
        return "Not run: it was cancelled before it started, or has run already."
    job = ImportJob.objects.select_related("batch", "requested_by").get(pk=job_id)
    # Inside a transaction (the immediate backend) another connection could not see the job.
    progress = JobProgress(job_id, threaded=not connection.in_atomic_block)
    try:
        with progress.running():
            message = RUNNERS[job.kind](job, progress)
    except ImportCancelled:
        if job.kind == ImportJob.Kind.CHECK:
            cancel_check(batch=job.batch)
        return _finish(job_id, ImportJob.State.CANCELLED, CANCELLED[job.kind])
    except ImportRefused as refusal:
        return _finish(job_id, ImportJob.State.REFUSED, str(refusal))
    except Exception:
        logger.exception("Import job %s (%s of batch %s) failed", job_id, job.kind, job.batch_id)
        _finish(job_id, ImportJob.State.FAILED, FAILED)
        raise
    return _finish(job_id, ImportJob.State.SUCCEEDED, message)
