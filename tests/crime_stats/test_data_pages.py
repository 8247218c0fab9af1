"""The data-loading pages: Admin only, upload → preview → confirm → undo, POST-only changes."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from crime_stats.importers import ImportOptions, import_figures
from crime_stats.models import CrimeFigure, ImportBatch, ImportUpload, ReportingPeriod

pytestmark = pytest.mark.django_db

REVISION = b"CSP,Period,Rate\nLeicester,April-December 2018,95.25\nNottingham,2019/20,80\n"


def _upload(client, content: bytes = REVISION, **fields):
    data = {"file": SimpleUploadedFile("figures.csv", content), "category": "All crime"}
    data.update(fields)
    return client.post(reverse("data_upload"), data)


def _leicester_2018() -> CrimeFigure:
    return CrimeFigure.objects.get(
        csp__name="Leicester", period__slug="apr-dec-2018", category="All crime"
    )


@pytest.mark.parametrize("user_name", ["chair", "lead", "owner"])
@pytest.mark.parametrize(
    ("method", "name", "needs_batch"),
    [
        ("get", "data_batches", False),
        ("get", "data_upload", False),
        ("post", "data_upload", False),
        ("get", "data_batch", True),
        ("post", "data_confirm", True),
        ("get", "data_undo", True),
        ("post", "data_undo", True),
    ],
)
def test_only_an_admin_may_use_the_data_pages(
    request, client_for, admin, user_name, method, name, needs_batch
):
    batch = ImportBatch.objects.first()
    args = [batch.pk] if needs_batch else []
    client = client_for(request.getfixturevalue(user_name))
    before = ImportBatch.objects.count()

    response = getattr(client, method)(reverse(name, args=args))

    assert response.status_code == 403
    assert ImportBatch.objects.count() == before
    assert b"95.25" not in response.content


def test_the_journey_upload_preview_confirm_undo(client_for, admin):
    client = client_for(admin)
    seed_rate = _leicester_2018().rate

    response = _upload(client)

    batch = ImportBatch.objects.get(file_name="figures.csv")
    assert response.status_code == 302 and response.url == reverse("data_batch", args=[batch.pk])
    assert batch.status == ImportBatch.Status.PREVIEWED and batch.uploaded_by == admin
    assert _leicester_2018().rate == seed_rate  # nothing is written before confirm
    assert not ReportingPeriod.objects.filter(slug="apr-2019-mar-2020").exists()

    preview = client.get(response.url).content.decode()
    assert "1 figure will change" in preview
    assert (
        "<td>Leicestershire - Leicester</td><td>April–December 2018</td><td>All crime</td>"
        '<td class="text-end">92.500</td><td class="text-end">95.250</td>' in preview
    )
    assert "1 figure will be created" in preview and "April 2019–March 2020" in preview
    assert batch.sha256 in preview

    assert client.get(reverse("data_confirm", args=[batch.pk])).status_code == 405
    confirmed = client.post(reverse("data_confirm", args=[batch.pk]))
    # The load runs in the worker (here at once): the batch page shows its outcome.
    assert confirmed.status_code == 302 and confirmed.url == reverse("data_batch", args=[batch.pk])
    assert "Loaded figures.csv: 1 figures created, 1 revised, 0 unchanged." in (
        client.get(confirmed.url).content.decode()
    )
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED
    assert (batch.rows_created, batch.rows_updated) == (1, 1)
    assert _leicester_2018().rate == Decimal("95.250")
    assert not ImportUpload.objects.filter(batch=batch).exists()  # the kept bytes are gone
    listing = client.get(reverse("data_batches")).content.decode()
    assert "figures.csv" in listing and reverse("data_undo", args=[batch.pk]) in listing

    confirm_page = client.get(reverse("data_undo", args=[batch.pk]))
    assert "back to 92.500 per 1,000" in confirm_page.content.decode()
    assert _leicester_2018().rate == Decimal("95.250")  # GET changes nothing
    undone = client.post(reverse("data_undo", args=[batch.pk]))
    assert undone.status_code == 302 and undone.url == reverse("data_batch", args=[batch.pk])
    assert "Undid figures.csv: 2 figures restored as they were." in (
        client.get(undone.url).content.decode()
    )
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.UNDONE
    assert _leicester_2018().rate == seed_rate
    assert not ReportingPeriod.objects.filter(slug="apr-2019-mar-2020").exists()


def test_a_file_with_problems_is_rejected_and_cannot_be_confirmed(client_for, admin):
    client = client_for(admin)
    figures = list(CrimeFigure.objects.values_list("pk", "rate", "batch"))

    _upload(client, REVISION + b"Leicester,2020/21,lots\n")

    batch = ImportBatch.objects.get(file_name="figures.csv")
    assert batch.status == ImportBatch.Status.REJECTED
    assert batch.errors == [
        {
            "row": 4,
            "column": "Rate",
            "message": "'lots' is not a number: give the crimes per 1,000 as a number such as 77.7",
        }
    ]
    page = client.get(reverse("data_batch", args=[batch.pk])).content.decode()
    assert "1 problem: nothing can be loaded" in page
    assert "Confirm and load" not in page
    response = client.post(reverse("data_confirm", args=[batch.pk]))
    assert response.status_code == 302
    assert list(CrimeFigure.objects.values_list("pk", "rate", "batch")) == figures


def test_unknown_csps_are_skipped_only_when_the_admin_ticks_the_box(client_for, admin):
    client = client_for(admin)
    _upload(client, b"CSP,Period,Rate\nAtlantis,2019/20,5\nLeicester,2019/20,6\n")
    batch = ImportBatch.objects.get(file_name="figures.csv")
    page = client.get(reverse("data_batch", args=[batch.pk])).content.decode()
    assert "1 CSP in the file is not in the portal" in page
    assert "Load the rest, skipping the 1 CSP not in the portal" in page

    refused = client.post(reverse("data_confirm", args=[batch.pk]))

    assert refused.status_code == 400
    assert "Tick this box to load the file without the CSPs" in refused.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED
    assert not CrimeFigure.objects.filter(period__slug="apr-2019-mar-2020").exists()

    client.post(reverse("data_confirm", args=[batch.pk]), {"skip_unknown_csps": "on"})

    batch.refresh_from_db()
    assert (batch.status, batch.rows_created, batch.rows_skipped) == ("committed", 1, 1)
    assert batch.options["skip_unknown_csps"] is True


def test_an_oversized_upload_is_refused_by_the_form_and_keeps_the_choices(
    client_for, admin, settings
):
    settings.IMPORT_MAX_UPLOAD_BYTES = 10
    response = _upload(client_for(admin), span="April-December")

    assert response.status_code == 200
    page = response.content.decode()
    assert "The file is 0.0 MB; the limit is 0 MB." in page
    assert 'value="April-December"' in page
    assert not ImportBatch.objects.filter(file_name="figures.csv").exists()


def test_a_bad_span_is_refused_by_the_form(client_for, admin):
    response = _upload(client_for(admin), span="Spring")

    assert "`Spring` is not a span of months: give the span as two months" in (
        response.content.decode()
    )


def test_the_batch_list_query_count_stays_constant(
    client_for, admin, django_assert_max_num_queries
):
    client = client_for(admin)
    client.get(reverse("data_batches"))  # warm the session and role caches
    for year in (2019, 2020, 2021):
        import_figures(
            content=f"CSP,{year}\nLeicester,{year - 1900}\n".encode(), file_name=f"{year}.csv",
            options=ImportOptions(span="April-December"), user=admin,
        )  # fmt: skip

    with django_assert_max_num_queries(6):
        response = client.get(reverse("data_batches"))

    assert response.content.decode().count("Undo<span") == 3


def test_a_rate_only_preview_shows_a_dash_for_missing_offences_not_none(client_for, admin):
    client = client_for(admin)
    _upload(client, b"CSP,Period,Rate\nLeicester,2019/20,80\n")
    batch = ImportBatch.objects.get(file_name="figures.csv")

    page = client.get(reverse("data_batch", args=[batch.pk])).content.decode()

    assert (
        '<td class="text-end">80.000</td><td class="text-end">–</td><td class="text-end">–</td>'
        in page
    )
    assert ">None<" not in page


def test_a_rejected_file_with_an_unknown_csp_does_not_say_confirm(client_for, admin):
    client = client_for(admin)
    _upload(client, b"CSP,Period,Rate\nAtlantis,2019/20,5\nLeicester,2019/20,lots\n")
    batch = ImportBatch.objects.get(file_name="figures.csv")

    page = client.get(reverse("data_batch", args=[batch.pk])).content.decode()

    assert "1 CSP in the file is not in the portal" in page
    assert "confirm below" not in page and "Confirm and load" not in page
