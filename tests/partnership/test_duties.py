"""The statutory duties register: due and overdue, death reviews restricted, evidence guarded."""

import datetime
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from partnership.duties import duties_due
from partnership.models import Duty, DutyOccurrence
from slp_portal.seed import load_seed

pytestmark = pytest.mark.django_db


def occurrence(slug: str, label: str, due: str, owner=None, status="not_started"):
    return DutyOccurrence.objects.create(
        duty=Duty.objects.get(slug=slug),
        label=label,
        due_on=datetime.date.fromisoformat(due),
        owner=owner,
        status=status,
        completed_on=datetime.date.fromisoformat(due) if status == "done" else None,
    )


def test_every_seeded_duty_cites_its_legal_basis():
    duties = Duty.objects.all()
    assert {d.slug for d in duties} >= {
        "strategic-assessment",
        "partnership-plan",
        "send-plan",
        "community-engagement",
        "svd-needs-assessment",
        "svd-strategy",
        "svd-review",
        "dhr-dardr",
        "prevent",
        "scrutiny",
        "information-sharing",
    }
    for duty in duties:
        assert duty.legal_basis and duty.source_url.startswith("https://www."), duty.slug
    assert "s.9" in Duty.objects.get(slug="dhr-dardr").legal_basis
    assert "s.26" in Duty.objects.get(slug="prevent").legal_basis
    assert "s.17A" in Duty.objects.get(slug="information-sharing").legal_basis
    assert Duty.objects.get(slug="dhr-dardr").restricted


def test_the_receiving_body_is_configurable_and_survives_a_new_seed_load():
    duty = Duty.objects.get(slug="send-plan")
    assert duty.display_title.endswith("Police and Crime Commissioner for Leicestershire")
    duty.receiving_body = "East Midlands Mayor"
    duty.save()
    load_seed()
    duty.refresh_from_db()
    assert duty.display_title == (
        "Send the partnership plan to the elected local policing body: East Midlands Mayor"
    )


def test_due_and_overdue_on_given_dates(chair):
    DutyOccurrence.objects.all().delete()
    late = occurrence("strategic-assessment", "2026/27", "2026-06-30")
    soon = occurrence("partnership-plan", "2026/27", "2026-08-15")
    later = occurrence("send-plan", "2026/27", "2026-10-15")
    occurrence("scrutiny", "July", "2026-06-01", status="done")

    on_july_1 = duties_due(chair, datetime.date(2026, 7, 1))
    assert on_july_1.overdue == [late] and on_july_1.due == [soon]
    on_june_30 = duties_due(chair, datetime.date(2026, 6, 30))  # due today is not overdue
    assert on_june_30.overdue == [] and on_june_30.due == [late, soon]
    on_aug_1 = duties_due(chair, datetime.date(2026, 8, 1))
    assert on_aug_1.overdue == [late] and on_aug_1.due == [soon, later]
    assert late.is_overdue(datetime.date(2026, 7, 1)) and not late.is_overdue(
        datetime.date(2026, 6, 30)
    )


@pytest.mark.parametrize(
    ("username", "sees"),
    [("admin", True), ("chair", True), ("lead", False), ("lead2", False), ("owner", False)],
)
def test_a_death_review_is_seen_only_by_admin_and_chair(
    client_for, django_user_model, username, sees
):
    review = DutyOccurrence.objects.get(duty__slug="dhr-dardr")
    review.evidence_name, review.evidence_file = "panel.pdf", b"%PDF-1.7"
    review.save()
    client = client_for(django_user_model.objects.get(username=username))
    register = client.get(reverse("partnership:duties")).content.decode()
    assert (review.label in register) is sees
    assert ("Domestic Homicide Reviews / Domestic Abuse" in register) is sees
    expected = 200 if sees else 404
    assert client.get(reverse("partnership:duty_occurrence", args=[review.pk])).status_code == (
        expected
    )
    evidence = client.get(reverse("partnership:duty_evidence", args=[review.pk]))
    assert evidence.status_code == expected
    dashboard = client.get(reverse("home")).content.decode()
    assert (review.label in dashboard) is sees
    user = django_user_model.objects.get(username=username)
    assert DutyOccurrence.objects.visible_to(user).filter(pk=review.pk).exists() is sees


def test_an_admin_uploads_evidence_and_marks_a_duty_done(client_for, admin):
    item = DutyOccurrence.objects.get(duty__slug="strategic-assessment")
    pdf = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    response = client_for(admin).post(
        reverse("partnership:duty_occurrence", args=[item.pk]),
        {
            "status": "done",
            "completed_on": "2026-11-30",
            "evidence_link": "https://www.leicester.gov.uk/sa",
            "evidence": SimpleUploadedFile("../../Strategic assessment.pdf", pdf),
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.completed_on) == ("done", datetime.date(2026, 11, 30))
    assert item.evidence_name == "Strategic assessment.pdf"
    assert bytes(item.evidence_file) == pdf
    download = client_for(admin).get(reverse("partnership:duty_evidence", args=[item.pk]))
    assert download.content == pdf
    assert download["Content-Disposition"].startswith("attachment;")
    assert item.history.first().history_user == admin


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", b"MZ\x90\x00 a program", "is named .pdf but is not a PDF"),
        ("notes.txt", b"MZ\x90\x00 a program", "The file is not text"),
        ("sheet.xlsx", b"plain,text\n1,2\n", "named .xlsx but its content is"),
    ],
)
def test_a_bad_evidence_file_is_refused_saying_why_and_nothing_changes(
    client_for, admin, name, content, message
):
    item = DutyOccurrence.objects.get(duty__slug="strategic-assessment")
    response = client_for(admin).post(
        reverse("partnership:duty_occurrence", args=[item.pk]),
        {"status": "in_progress", "evidence": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 200
    assert message in response.content.decode() and name in response.content.decode()
    item.refresh_from_db()
    assert item.evidence_name == "" and item.status == "in_progress"


def test_an_evidence_file_over_the_limit_is_refused(client_for, admin, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 10
    item = DutyOccurrence.objects.get(duty__slug="strategic-assessment")
    response = client_for(admin).post(
        reverse("partnership:duty_occurrence", args=[item.pk]),
        {"status": "in_progress", "evidence": SimpleUploadedFile("a.pdf", b"%PDF-" + b"x" * 20)},
    )
    assert "the limit is" in response.content.decode()
    item.refresh_from_db()
    assert item.evidence_name == ""


def test_the_owner_records_progress_but_another_lead_may_not(client_for, lead, other_lead):
    item = DutyOccurrence.objects.get(duty__slug="svd-review")  # owned by the lead
    data = {"status": "done", "completed_on": "2026-11-01"}
    url = reverse("partnership:duty_occurrence", args=[item.pk])
    assert client_for(other_lead).post(url, data).status_code == 403
    item.refresh_from_db()
    assert item.status == "in_progress"
    assert client_for(lead).post(url, {"status": "done"}).status_code == 200  # needs a date
    assert client_for(lead).post(url, data).status_code == 302
    item.refresh_from_db()
    assert item.status == "done"


def test_send_update_reminders_includes_duties_due_once(lead, chair):
    DutyOccurrence.objects.all().delete()
    lead.email, chair.email = "lead@example.org", "chair@example.org"
    lead.save(), chair.save()
    occurrence("svd-review", "2026/27", "2026-07-20", owner=lead)
    occurrence("dhr-dardr", "Review 1: panel", "2026-07-10", owner=chair)
    occurrence("dhr-dardr", "Review 2: panel", "2026-07-10", owner=lead)  # never to a lead
    occurrence("partnership-plan", "2026/27", "2026-12-20", owner=lead)  # not due yet
    out = io.StringIO()
    call_command("send_update_reminders", "--date", "2026-07-01", stdout=out)
    duty_mail = {m.to[0]: m for m in mail.outbox if "statutory duty" in m.subject}
    assert set(duty_mail) == {"lead@example.org", "chair@example.org"}
    assert "falls due on 20 Jul 2026" in duty_mail["lead@example.org"].subject
    assert "Police, Crime, Sentencing and Courts Act 2022" in duty_mail["lead@example.org"].body
    assert "Sent 2 duty reminders for 1 Jul 2026." in out.getvalue()
    mail.outbox.clear()
    call_command("send_update_reminders", "--date", "2026-07-05", stdout=io.StringIO())
    assert [m for m in mail.outbox if "statutory duty" in m.subject] == []
    call_command("send_update_reminders", "--date", "2026-07-21", stdout=io.StringIO())
    overdue = [m for m in mail.outbox if "statutory duty" in m.subject]
    assert {m.subject for m in overdue} == {
        "SLP Portal: statutory duty is overdue on 20 Jul 2026",
        "SLP Portal: statutory duty is overdue on 10 Jul 2026",
    }
