"""What the admin and the chair see of national data: implausible revisions need a tick, the
publication's notes are kept with the batch and shown beside the CSPs they name, and periods
before a group existed are not offered as empty comparisons."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from crime_stats.forms import IMPLAUSIBLE_UNCHECKED
from crime_stats.importers import ImportOptions, parse_file, plan_import
from crime_stats.importers.batches import commit_plan
from crime_stats.importers.notes import PublicationNotes
from crime_stats.importers.preview import save_publication_notes
from crime_stats.models import CSP, CrimeFigure, ForceNote, ImportBatch, ReportingPeriod
from tests.crime_stats.import_files import (
    ONS_HEADER,
    OTHER_GROUPS,
    POPULATION,
    csv_bytes,
    ons_rows,
)

pytestmark = pytest.mark.django_db

KENT_NOTE = (
    "Kent: Due to ongoing IT issues, crime data for Maidstone, Medway, Tonbridge and Malling, "
    "Dartford and Gravesham, and Tunbridge Wells are recorded under an unassigned CSP group "
    "from 2024 onwards."
)
LEICESTER_NOTE = (
    "Leicestershire: for the year ending March 2019, some offences in Leicester were recorded late."
)
NOTES = PublicationNotes(
    title="Police recorded crime by Community Safety Partnership",
    updated=datetime.date(2026, 7, 23),
    force_notes=[KENT_NOTE, LEICESTER_NOTE],
    additional_notes=["Figures are provisional."],
)


def _leicester_2018() -> CrimeFigure:
    return CrimeFigure.objects.get(
        csp__name="Leicester", period__slug="apr-dec-2018", category="All crime"
    )


def test_a_revision_that_more_than_doubles_needs_the_tick_box(client_for, admin):
    client = client_for(admin)
    content = b"CSP,Period,Rate\nLeicester,April-December 2018,200\n"
    client.post(
        reverse("data_upload"),
        {"file": SimpleUploadedFile("revision.csv", content), "category": "All crime"},
    )
    batch = ImportBatch.objects.latest("created_at")
    page = client.get(reverse("data_batch", args=[batch.pk])).content.decode()
    assert "1 revised rate more than doubles or halves" in page
    assert "I have checked these" in page

    refused = client.post(reverse("data_confirm", args=[batch.pk]))

    assert refused.status_code == 400
    assert IMPLAUSIBLE_UNCHECKED in refused.content.decode()
    assert _leicester_2018().rate == Decimal("92.5")

    client.post(reverse("data_confirm", args=[batch.pk]), {"checked_implausible": "on"})

    assert _leicester_2018().rate == Decimal("200")


def test_a_revision_within_half_and_double_needs_no_tick(client_for, admin):
    client = client_for(admin)
    content = b"CSP,Period,Rate\nLeicester,April-December 2018,150\n"
    client.post(
        reverse("data_upload"),
        {"file": SimpleUploadedFile("revision.csv", content), "category": "All crime"},
    )
    batch = ImportBatch.objects.latest("created_at")

    client.post(reverse("data_confirm", args=[batch.pk]))

    assert _leicester_2018().rate == Decimal("150")


def _year_2018_19() -> bytes:
    text = ONS_HEADER
    for quarter in (1, 2, 3, 4):
        for csp, force in (("Leicester", "Leicestershire"), ("Nottingham", "Nottinghamshire")):
            text += ons_rows(csp, force, "2018/19", quarter, {"1": 500, "34B": 50, "28": 900,
                                                             **OTHER_GROUPS})  # fmt: skip
    return csv_bytes(text)


def _import_with_notes() -> ImportBatch:
    options = ImportOptions()
    plan = plan_import(parse_file(_year_2018_19(), options, csv_bytes(POPULATION)), options)
    plan.parsed.publication_notes = NOTES  # as the reader gives a Notes sheet
    batch = ImportBatch.objects.create(file_name="prc-csp.ods", sha256="0" * 64, format="ons")
    commit_plan(plan=plan, batch=batch, user=None)
    save_publication_notes(batch, plan)
    return batch


def test_the_publications_notes_are_kept_with_the_batch_and_name_their_csps(client_for, admin):
    batch = _import_with_notes()

    kent, leicester = ForceNote.objects.filter(publication__batch=batch).order_by("pk")
    assert sorted(csp.name for csp in kent.csps.all()) == [
        "Dartford and Gravesham", "Maidstone", "Medway", "Tonbridge and Malling", "Tunbridge Wells",
    ]  # fmt: skip
    assert (kent.first_year, kent.last_year) == (2023, None)
    assert [csp.name for csp in leicester.csps.all()] == ["Leicester"]
    assert (leicester.first_year, leicester.last_year) == (2018, 2018)
    page = client_for(admin).get(reverse("data_batch", args=[batch.pk])).content.decode()
    assert "23 Jul 2026" in page and "Figures are provisional." in page
    assert "Tonbridge and Malling" in page


def test_a_force_note_is_shown_beside_the_csps_figures_for_that_year(client_for, chair):
    _import_with_notes()
    client = client_for(chair)

    page = client.get(reverse("comparison"), {"period": "apr-2018-mar-2019"}).content.decode()
    same_year = client.get(reverse("comparison"), {"period": "apr-dec-2018"}).content.decode()
    year_before = client.get(reverse("comparison"), {"period": "apr-dec-2017"}).content.decode()

    assert 'href="#force-note-1"' in page and LEICESTER_NOTE in page
    assert "applies to Leicestershire - Leicester in April 2018–March 2019" in page
    assert KENT_NOTE not in page  # it names no CSP of the group
    assert LEICESTER_NOTE in same_year  # April–December 2018 lies in 2018/19 too
    assert LEICESTER_NOTE not in year_before


def test_periods_before_the_group_existed_are_not_offered(client_for, chair):
    period = ReportingPeriod.objects.create(
        label="April 2011–March 2012", slug="apr-2011-mar-2012",
        start=datetime.date(2011, 4, 1), end=datetime.date(2012, 3, 31),
    )  # fmt: skip
    CrimeFigure.objects.create(
        csp=CSP.objects.get(name="Leicester"), period=period, rate=Decimal("90")
    )
    client = client_for(chair)

    page = client.get(reverse("comparison"))
    asked = client.get(reverse("comparison"), {"period": "apr-2011-mar-2012"})

    assert period not in page.context["selection"].periods
    assert "1 period with figures before 1 April 2016 is not offered" in page.content.decode()
    assert asked.status_code == 404
    assert (
        "The Leicester Most Similar Group is not defined for April 2011–March 2012: its first "
        "members joined on 1 April 2016. Choose a later period."
    ) in asked.content.decode()
