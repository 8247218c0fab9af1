"""Request bodies are bounded before Django reads them (slp_portal.uploads).

The review sent a 1 GB body to `/healthz` and the sign-in page: the CSRF middleware wrote it
to disk before any check. tests/security/test_production_stack.py shows nginx refusing the
same before gunicorn sees it; these show the portal's own bound, behind any proxy or none.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from crime_stats.models import ImportBatch
from slp_portal.uploads import NO_FILE_HERE, BoundedUploadHandler, UploadRefused

pytestmark = pytest.mark.django_db

GIGABYTE = str(1024**3)


@pytest.mark.parametrize("path", ["/healthz", "/accounts/login/", "/actions/1/update/"])
def test_a_file_sent_where_none_is_taken_is_refused_unread(client, path):
    response = client.post(path, {"file": SimpleUploadedFile("big.csv", b"x" * 10_000)})
    assert response.status_code == 400
    assert response.content.decode() == NO_FILE_HERE


@pytest.mark.parametrize("path", ["/healthz", "/accounts/login/", "/data/upload/"])
def test_a_body_declared_larger_than_the_url_takes_answers_413_unread(client, path):
    """The body is never read: the declared length alone is refused."""
    response = client.post(
        path, b"username=a", content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=GIGABYTE,
    )  # fmt: skip
    assert response.status_code == 413
    assert "this address accepts at most" in response.content.decode()
    assert response["Connection"] == "close"


def test_an_upload_over_the_body_limit_is_refused_before_the_form(client_for, admin, settings):
    settings.UPLOAD_MAX_BODY_BYTES = 4_000
    upload = SimpleUploadedFile("figures.csv", b"CSP,2018/19\n" + b"Leicester,1\n" * 1_000)
    response = client_for(admin).post(
        reverse("data_upload"), {"file": upload, "category": "All crime"}
    )
    assert response.status_code == 413
    assert not ImportBatch.objects.filter(file_name="figures.csv").exists()


def test_the_handler_stops_reading_once_the_bytes_pass_the_limit(settings):
    settings.UPLOAD_MAX_BODY_BYTES = 100
    handler = BoundedUploadHandler(RequestFactory().post("/data/upload/"))
    handler.handle_raw_input(None, {}, 50, b"boundary")
    assert handler.receive_data_chunk(b"x" * 60, 0) == b"x" * 60
    with pytest.raises(UploadRefused) as refused:
        handler.receive_data_chunk(b"x" * 60, 60)
    assert refused.value.status == 413


def test_an_upload_within_the_limit_still_reaches_the_preview(client_for, admin):
    upload = SimpleUploadedFile("figures.csv", b"CSP,2018/19\nLeicester,95.25\n")
    response = client_for(admin).post(
        reverse("data_upload"),
        {"file": upload, "category": "All crime", "span": "April-December"},
    )
    assert response.status_code == 302
    assert ImportBatch.objects.filter(file_name="figures.csv").exists()
