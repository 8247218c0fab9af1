"""The batch page while a job runs in the worker: the progress bar moves without a reload under
the Content Security Policy, speaks to screen readers, and the page shows the outcome when the
job ends. axe-core finds nothing on it running or done."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from crime_stats.models import ImportBatch, ImportJob
from tests.browser.conftest import assert_accessible, upload_figures

pytestmark = pytest.mark.browser


def test_the_progress_bar_moves_as_the_worker_writes_and_the_outcome_follows(signed_in_page):
    admin = signed_in_page("admin")
    upload_figures(admin, "one.csv", b"CSP,April-December 2019\nLeicestershire - Leicester,80\n")
    batch = ImportBatch.objects.get(file_name="one.csv")
    # The worker has taken the confirm (the suite runs jobs at once, so this stands in for it).
    job = ImportJob.objects.create(
        batch=batch, kind="confirm", state="running", phase="Reading and checking the file",
        total=1000, started_at=timezone.now(), heartbeat_at=timezone.now(),
    )  # fmt: skip
    admin.reload()
    bar = admin.locator("progress#job-progress")
    expect(bar).to_have_attribute("value", "0")
    expect(admin.get_by_role("button", name="Cancel")).to_be_visible()
    assert_accessible(admin)

    ImportJob.objects.filter(pk=job.pk).update(
        phase="Writing the figures", done=500, unit="figures", heartbeat_at=timezone.now()
    )

    expect(admin.locator("#job-detail")).to_have_text("500 figures of about 1,000 (50%)")
    expect(admin.locator("#job-phase")).to_have_text("Writing the figures")
    expect(bar).to_have_attribute("value", "50")
    expect(admin.locator("#job-announce")).to_have_text("Writing the figures, 50%")
    assert re.search(r"/data/\d+/$", admin.url)  # the same page: no reload so far

    ImportJob.objects.filter(pk=job.pk).update(
        state="succeeded", message="Loaded one.csv: 1 figures created, 0 revised, 0 unchanged."
    )

    expect(admin.get_by_text("Loaded one.csv: 1 figures created")).to_be_visible()
    expect(bar).to_have_count(0)
    assert_accessible(admin)
