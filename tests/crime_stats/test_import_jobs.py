"""Imports as jobs in the worker: the batch page's progress, cancel, a stopped worker, one job
at a time, and a confirm refused when the figures changed since its preview.

The suite runs tasks as they are enqueued (SLP_TASKS=immediate); test_import_worker.py runs the
real worker process.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from crime_stats.importers import ImportOptions, import_figures, writes
from crime_stats.importers.batches import CHANGED_SINCE_PREVIEW
from crime_stats.models import CrimeFigure, ImportBatch, ImportJob, ImportUpload, ReportingPeriod
from crime_stats.tasks import ALREADY_RUNNING, CANCELLED, CANCELLED_STOPPED, WORKER_STOPPED

pytestmark = pytest.mark.django_db

REVISION = b"CSP,Period,Rate\nLeicester,April-December 2018,95.25\nNottingham,2019/20,80\n"


def _upload(client, content: bytes = REVISION):
    data = {"file": SimpleUploadedFile("figures.csv", content), "category": "All crime"}
    return client.post(reverse("data_upload"), data)


def _leicester_2018() -> CrimeFigure:
    return CrimeFigure.objects.get(
        csp__name="Leicester", period__slug="apr-dec-2018", category="All crime"
    )


def _previewed(client) -> ImportBatch:
    _upload(client)
    return ImportBatch.objects.get(file_name="figures.csv")


def test_an_upload_is_checked_as_a_job_and_the_page_shows_what_it_found(client_for, admin):
    client = client_for(admin)

    response = _upload(client)

    batch = ImportBatch.objects.get(file_name="figures.csv")
    assert response.url == reverse("data_batch", args=[batch.pk])
    job = batch.jobs.get()
    assert (job.kind, job.state, job.requested_by) == ("check", "succeeded", admin)
    assert job.message == "Checked 2 rows: 1 figures to create, 1 to revise, 0 unchanged."
    assert job.task_id
    page = client.get(response.url).content.decode()
    assert "Checking the file: done" in page and job.message in page
    assert "<progress" not in page  # nothing runs any more: no bar, no script
    assert "import-progress.js" not in page


def test_a_running_job_shows_a_progress_bar_its_text_and_a_cancel_button(client_for, admin):
    client = client_for(admin)
    batch = _previewed(client)
    ImportJob.objects.create(
        batch=batch, kind="confirm", state="running", phase="Writing the figures", done=410,
        total=1000, unit="figures", started_at=timezone.now(), heartbeat_at=timezone.now(),
    )  # fmt: skip

    page = client.get(reverse("data_batch", args=[batch.pk])).content.decode()

    assert re.search(
        r'<progress id="job-progress" class="import-progress" max="100" value="41"', page
    )
    assert '<p id="job-phase" class="mb-1">Writing the figures</p>' in page
    assert "410 figures of about 1,000 (41%)" in page
    assert 'aria-live="polite"' in page
    assert f'action="{reverse("data_cancel", args=[batch.pk])}"' in page
    assert f'data-progress-url="{reverse("data_progress", args=[batch.pk])}"' in page
    assert "js/import-progress.js" in page
    assert "Confirm and load the figures" not in page  # one job at a time
    assert "style=" not in page and "<script>" not in page  # the CSP forbids inline ones


def test_the_progress_endpoint_gives_phase_rows_and_percentage(client_for, admin):
    client = client_for(admin)
    batch = _previewed(client)
    url = reverse("data_progress", args=[batch.pk])
    job = ImportJob.objects.create(
        batch=batch, kind="confirm", state="running", phase="Reading and checking the file",
        done=250_000, total=1_000_680, started_at=timezone.now(), heartbeat_at=timezone.now(),
    )  # fmt: skip

    running = client.get(url).json()

    assert running == {
        "state": "running", "kind": "Loading the figures", "phase": "Reading and checking the file",
        "done": 250_000, "total": 1_000_680, "unit": "rows", "percent": 24, "stale": False,
        "waiting_long": False, "cancel_requested": False, "finished": False,
    }  # fmt: skip
    ImportJob.objects.filter(pk=job.pk).update(total=None)
    assert client.get(url).json()["percent"] is None  # a spreadsheet's rows are not counted
    ImportJob.objects.filter(pk=job.pk).update(state="succeeded")
    assert client.get(url).json()["finished"] is True


def test_cancelling_a_queued_check_keeps_nothing_of_the_file(client_for, admin):
    from crime_stats.importers import upload_store

    client = client_for(admin)
    batch = upload_store(
        content=REVISION, file_name="figures.csv", options=ImportOptions(), population=None,
        population_name="", user=admin,
    )  # fmt: skip
    job = ImportJob.objects.create(batch=batch, kind="check")  # the worker has not started it

    response = client.post(reverse("data_cancel", args=[batch.pk]))

    assert response.url == reverse("data_batch", args=[batch.pk])
    job.refresh_from_db()
    batch.refresh_from_db()
    assert job.state == "cancelled" and batch.status == "cancelled"
    assert not ImportUpload.objects.filter(batch=batch).exists()
    assert "Cancelled" in client.get(response.url).content.decode()


def test_cancelling_mid_write_rolls_back_every_figure_already_written(
    client_for, admin, settings, monkeypatch
):
    client = client_for(admin)
    batch = _previewed(client)
    settings.IMPORT_WRITE_CHUNK = 1  # a cancel check after each figure
    figures = list(CrimeFigure.objects.values_list("pk", "rate", "batch"))
    history = CrimeFigure.history.count()
    insert_rows = writes.insert_rows

    def cancel_after_first_chunk(model, fields, rows):
        insert_rows(model, fields, rows)
        ImportJob.objects.filter(batch=batch).update(cancel_requested=True)  # the admin clicks

    monkeypatch.setattr(writes, "insert_rows", cancel_after_first_chunk)

    client.post(reverse("data_confirm", args=[batch.pk]))

    job = batch.jobs.first()
    assert (job.kind, job.state, job.message) == ("confirm", "cancelled", CANCELLED["confirm"])
    batch.refresh_from_db()
    assert batch.status == "previewed" and ImportUpload.objects.filter(batch=batch).exists()
    assert list(CrimeFigure.objects.values_list("pk", "rate", "batch")) == figures
    assert CrimeFigure.history.count() == history
    assert not ReportingPeriod.objects.filter(slug="apr-2019-mar-2020").exists()
    assert not batch.changes.exists()


def test_a_job_whose_worker_stopped_is_shown_and_can_be_run_again(client_for, admin):
    client = client_for(admin)
    batch = _previewed(client)
    long_ago = timezone.now() - datetime.timedelta(minutes=10)
    dead = ImportJob.objects.create(
        batch=batch, kind="confirm", state="running", phase="Writing the figures",
        arguments={"skip_unknown_csps": False}, started_at=long_ago, heartbeat_at=long_ago,
    )  # fmt: skip

    page = client.get(reverse("data_batch", args=[batch.pk])).content.decode()
    assert "The worker stopped while loading the figures" in page
    assert f'action="{reverse("data_rerun", args=[batch.pk])}"' in page
    assert client.get(reverse("data_progress", args=[batch.pk])).json()["stale"] is True

    client.post(reverse("data_rerun", args=[batch.pk]))

    dead.refresh_from_db()
    seen = timezone.localtime(long_ago)
    assert dead.state == "failed"
    assert dead.message == WORKER_STOPPED.format(seen=f"{seen:%H:%M:%S}")
    batch.refresh_from_db()
    assert batch.status == "committed" and batch.jobs.first().state == "succeeded"
    assert _leicester_2018().rate == Decimal("95.250")


def test_a_live_job_cannot_be_run_again_and_a_second_job_is_refused(client_for, admin):
    client = client_for(admin)
    batch = _previewed(client)
    ImportJob.objects.create(batch=batch, kind="confirm")  # queued, the worker not there yet

    refused = client.post(reverse("data_rerun", args=[batch.pk]), follow=True)
    second = client.post(reverse("data_confirm", args=[batch.pk]), follow=True)

    assert "Only a job that failed or whose worker stopped can be run again." in (
        refused.content.decode()
    )
    assert ALREADY_RUNNING.format(kind="loading the figures") in second.content.decode()
    assert batch.jobs.count() == 2  # the check and the queued confirm: no third
    batch.refresh_from_db()
    assert batch.status == "previewed"


def test_a_confirm_is_refused_when_the_figures_changed_since_its_preview(client_for, admin):
    client = client_for(admin)
    batch = _previewed(client)  # previews Leicester 2018: 92.500 → 95.250
    import_figures(
        content=b"CSP,Period,Rate\nLeicester,April-December 2018,96\n", file_name="later.csv",
        options=ImportOptions(), user=admin,
    )  # fmt: skip

    client.post(reverse("data_confirm", args=[batch.pk]))

    job = batch.jobs.first()
    assert (job.state, job.message) == ("refused", CHANGED_SINCE_PREVIEW)
    assert _leicester_2018().rate == Decimal("96.000")  # the later import's revision stands
    page = client.get(reverse("data_batch", args=[batch.pk])).content.decode()
    assert CHANGED_SINCE_PREVIEW in page
    assert '<td class="text-end">96.000</td><td class="text-end">95.250</td>' in page

    client.post(reverse("data_confirm", args=[batch.pk]))  # confirmed against the renewed preview

    assert _leicester_2018().rate == Decimal("95.250")
    change = batch.changes.get(created=False)
    assert change.previous_rate == Decimal("96.000")  # so undoing it restores the later import's


def test_a_check_whose_worker_stopped_can_be_cancelled_instead(client_for, admin):
    from crime_stats.importers import upload_store

    client = client_for(admin)
    batch = upload_store(
        content=REVISION, file_name="figures.csv", options=ImportOptions(), population=None,
        population_name="", user=admin,
    )  # fmt: skip
    long_ago = timezone.now() - datetime.timedelta(minutes=10)
    dead = ImportJob.objects.create(
        batch=batch, kind="check", state="running", started_at=long_ago, heartbeat_at=long_ago
    )
    assert "Cancel it" in client.get(reverse("data_batch", args=[batch.pk])).content.decode()

    client.post(reverse("data_cancel", args=[batch.pk]))

    dead.refresh_from_db()
    batch.refresh_from_db()
    assert (dead.state, dead.message) == ("cancelled", CANCELLED_STOPPED)
    assert batch.status == "cancelled" and not ImportUpload.objects.filter(batch=batch).exists()


def test_an_upload_is_kept_compressed_and_read_back_byte_for_byte(client_for, admin):
    import hashlib

    from crime_stats.importers import upload_store

    _upload(client_for(admin))
    batch = ImportBatch.objects.get(file_name="figures.csv")
    upload = ImportUpload.objects.get(batch=batch)
    assert upload.compressed and upload.kept_content() == REVISION
    assert batch.sha256 == hashlib.sha256(REVISION).hexdigest()

    chunks = [b"CSP,Period,Rate\n", b"Leicester,2019/20,80\n" * 50_000]  # as read from disk
    big = upload_store(
        content=iter(chunks), file_name="big.csv", options=ImportOptions(), population=b"P",
        population_name="population.csv", user=admin,
    )  # fmt: skip

    assert len(bytes(big.upload.content)) < sum(map(len, chunks)) / 50
    assert big.upload.kept_content() == b"".join(chunks)
    assert big.upload.kept_population() == b"P"
    assert big.sha256 == hashlib.sha256(b"".join(chunks)).hexdigest()
