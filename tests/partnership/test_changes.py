"""What changed between two dates, from a scripted history, against an independent list."""

import datetime
import statistics
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, ProgressUpdate, RagStatus
from crime_stats.models import ComparisonGroup, CrimeFigure, ImportBatch, ReportingPeriod
from partnership.changes import Kind, changes_between_days
from priorities.models import PlanVersion, Priority, WorkStream

pytestmark = pytest.mark.django_db

# The scripted history happens after the seed and demo data were loaded (at "now"), on days
# of its own, so nothing else falls in the window.
BASE = (timezone.now() + datetime.timedelta(days=30)).replace(hour=9, minute=0, second=0)
FIRST_DAY = timezone.localtime(BASE).date()
LAST_DAY = FIRST_DAY + datetime.timedelta(days=6)


def at(days: int, hours: int = 0) -> datetime.datetime:
    return BASE + datetime.timedelta(days=days, hours=hours)


def revise_leicester(rate: str, *, when: datetime.datetime, admin) -> ImportBatch:
    """Revise Leicester's April–December 2018 rate as a committed batch would, at `when`."""
    batch = ImportBatch.objects.create(
        file_name="revision.csv",
        sha256="ab" * 32,
        format=ImportBatch.Format.LONG,
        uploaded_by=admin,
        status=ImportBatch.Status.COMMITTED,
        committed_at=when,
        rows_read=1,
        rows_updated=1,
    )
    figure = CrimeFigure.objects.get(
        csp__name="Leicester", period__slug="apr-dec-2018", category="All crime"
    )
    figure.rate = Decimal(rate)
    figure.batch = batch
    figure._history_user = admin
    figure.save()
    latest = CrimeFigure.history.filter(id=figure.pk).latest("history_id")
    CrimeFigure.history.filter(history_id=latest.history_id).update(history_date=when)
    return batch


def log(action: Action, author, *, status: str, spend: str, when: datetime.datetime):
    update = ProgressUpdate.objects.create(
        action=action,
        reported_on=datetime.date(2020, 3, 20),
        status=status,
        narrative="Scripted.",
        spend=Decimal(spend),
        author=author,
    )
    ProgressUpdate.objects.filter(pk=update.pk).update(created_at=when)
    return update


def status_on(action: Action, day: datetime.date) -> str:
    """The status of the action's last uncorrected update dated on or before `day`, in Python."""
    updates = list(action.updates.all())
    corrected = {u.corrects_id for u in updates}
    earlier = [u for u in updates if u.pk not in corrected and u.reported_on <= day]
    return max(earlier, key=lambda u: (u.reported_on, u.created_at)).status


def standing(rates: dict[str, Decimal]) -> str:
    """Leicester's position and band computed here from scratch: 1 + the number of members with
    a higher rate, and more than one population standard deviation from the mean."""
    mine = rates["Leicestershire - Leicester"]
    position = 1 + sum(1 for rate in rates.values() if rate > mine)
    joint = sum(1 for rate in rates.values() if rate == mine) > 1
    values = [float(rate) for rate in rates.values()]
    mean, spread = statistics.fmean(values), statistics.pstdev(values)
    band = "above" if mine > mean + spread else "below" if mine < mean - spread else "in line"
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(position if position < 20 else position % 10, "th")
    return f"{'joint ' if joint else ''}{position}{suffix}, {band}"


def member_rates() -> dict[str, Decimal]:
    group = ComparisonGroup.objects.get()
    period = ReportingPeriod.objects.get(slug="apr-dec-2018")
    labels = {m.csp_id: m.csp.label for m in group.memberships.all() if m.covers(period.start)}
    return {
        labels[f.csp_id]: f.rate
        for f in CrimeFigure.objects.filter(period=period, category="All crime", csp__in=labels)
    }


def test_changes_between_two_dates_equal_an_independent_list(admin, chair, lead, owner):
    before = standing(member_rates())
    revise_leicester("110.0", when=at(1), admin=admin)
    after = standing(member_rates())
    amnesty = Action.objects.get(title="Weapons amnesty bins")
    pastors = next(
        a
        for a in Action.objects.filter(work_stream__priority=amnesty.work_stream.priority)
        if a != amnesty
        and a.updates.exists()
        and status_on(a, datetime.date(2020, 3, 20)) not in ("complete",)
    )
    status_before = status_on(amnesty, datetime.date(2020, 3, 20))
    new_status = "amber" if status_before != "amber" else "red"
    log(amnesty, owner, status=new_status, spend="100.00", when=at(2))
    pastors_before = status_on(pastors, datetime.date(2020, 3, 20))
    log(pastors, lead, status="complete", spend="250.50", when=at(3))
    created = Action.objects.create(
        **{
            f.attname: getattr(amnesty, f.attname)
            for f in Action._meta.concrete_fields
            if f.attname not in ("id", "title", "created_at", "updated_at")
        },
        title="Scripted new action",
    )
    Action.history.filter(id=created.pk).update(history_date=at(4), history_user=lead)
    # Outside the window: the day after it ends.
    log(amnesty, owner, status="green", spend="999.00", when=at(8))

    report = changes_between_days(FIRST_DAY, LAST_DAY, chair)

    priority_a = amnesty.work_stream.priority
    labels = dict(RagStatus.choices)
    expected = [
        (
            Kind.FIGURES,
            "revision.csv loaded",
            "0 figures created, 1 revised; SHA-256 abababababab…",
            "admin",
        ),
        (Kind.POSITION, "Leicester: All crime, April–December 2018", f"{before} → {after}", ""),
        (
            Kind.RAG,
            amnesty.title,
            f"{labels[status_before]} → {labels[new_status]} (dated 20 Mar 2020)",
            "owner",
        ),
        (
            Kind.COMPLETED,
            pastors.title,
            f"{labels[pastors_before]} → Complete (dated 20 Mar 2020)",
            "lead",
        ),
        (Kind.CREATED, "Scripted new action", f"Due {amnesty.due_date:%-d %b %Y}", "lead"),
        (Kind.SPEND, f"Priority a ({priority_a.version.name})", "£350.50 logged", ""),
    ]
    names = {"admin": admin, "owner": owner, "lead": lead}
    expected = [
        (kind, title, detail, (names[who].get_full_name() or who) if who else "")
        for kind, title, detail, who in expected
    ]
    got = [(c.kind, c.title, c.detail, c.who) for c in report.changes]
    assert sorted(got) == sorted(expected)
    assert before != after  # the revision moved Leicester: the test would see a wrong replay


def test_every_change_links_to_a_page_that_opens(client_for, admin, chair, owner):
    revise_leicester("110.0", when=at(1), admin=admin)
    log(
        Action.objects.get(title="Weapons amnesty bins"), owner, status="red", spend="5", when=at(2)
    )
    report = changes_between_days(None, LAST_DAY, chair)
    client = client_for(chair)
    assert {c.kind for c in report.changes} >= {Kind.FIGURES, Kind.CREATED, Kind.SPEND}
    for url in {change.url for change in report.changes}:
        assert client.get(url).status_code == 200, url


def test_a_lead_sees_figures_but_not_another_priority_s_delivery(admin, other_lead, owner):
    revise_leicester("110.0", when=at(1), admin=admin)
    amnesty = Action.objects.get(title="Weapons amnesty bins")  # priority a
    log(amnesty, owner, status="red", spend="100.00", when=at(2))

    report = changes_between_days(FIRST_DAY, LAST_DAY, other_lead)

    kinds = {change.kind for change in report.changes}
    assert Kind.FIGURES in kinds and Kind.POSITION in kinds
    assert not kinds & {Kind.RAG, Kind.SPEND}
    # And the figure file links to the comparison, not the Admin-only batch page.
    assert [c.url for c in report.changes if c.kind == Kind.FIGURES] == [reverse("comparison")]


def running_action(lead, *, start_date: datetime.date) -> Action:
    """Return a monthly action of a plan version running through the window."""
    version = PlanVersion.objects.create(
        plan=PlanVersion.objects.first().plan,
        name="Test year",
        slug="test-year",
        starts_on=FIRST_DAY - datetime.timedelta(days=200),
        ends_on=FIRST_DAY + datetime.timedelta(days=200),
    )
    priority = Priority.objects.create(
        version=version, letter="a", wording="Test priority", strategic_lead=lead
    )
    stream = WorkStream.objects.create(priority=priority, name="Test stream", strategic_lead=lead)
    template = Action.objects.get(title="Weapons amnesty bins")
    kept = (
        "id",
        "title",
        "created_at",
        "updated_at",
        "work_stream_id",
        "start_date",
        "due_date",
        "review_cadence",
    )
    return Action.objects.create(
        **{
            f.attname: getattr(template, f.attname)
            for f in Action._meta.concrete_fields
            if f.attname not in kept
        },
        work_stream=stream,
        title="Running action",
        start_date=start_date,
        due_date=FIRST_DAY + datetime.timedelta(days=100),
        review_cadence="monthly",
    )


def test_newly_overdue_is_judged_on_the_records_as_they_stood(chair, lead, owner):
    # No update yet: the first is due a calendar month after the start, two days into the
    # window, so the action is overdue from the third day on.
    start_date = FIRST_DAY - relativedelta(months=1) + datetime.timedelta(days=2)
    action = running_action(lead, start_date=start_date)
    deadline = start_date + relativedelta(months=1)
    assert deadline == FIRST_DAY + datetime.timedelta(days=2)

    def overdue_titles():
        report = changes_between_days(FIRST_DAY, LAST_DAY, chair)
        return [(c.title, c.detail) for c in report.changes if c.kind == Kind.OVERDUE]

    expected = [("Running action", f"Update was due by {deadline:%-d %b %Y}")]
    assert overdue_titles() == expected  # the demo's ended versions add nothing
    # After the window, someone logs an update dated inside it: today the action is not
    # overdue on the last day, but the window's report stays as the records stood then.
    log(action, owner, status="green", spend="0", when=at(10))
    ProgressUpdate.objects.filter(action=action).update(reported_on=FIRST_DAY)
    action = Action.objects.get(pk=action.pk)
    assert not action.is_overdue(LAST_DAY)
    assert overdue_titles() == expected


def test_undoing_a_batch_shows_as_a_change(admin, chair):
    batch = revise_leicester("110.0", when=at(-10), admin=admin)
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.UNDONE, undone_at=at(2)
    )
    report = changes_between_days(FIRST_DAY, LAST_DAY, chair)
    assert [c.title for c in report.changes if c.kind == Kind.FIGURES] == ["revision.csv undone"]


def _history(times: int, admin, owner) -> None:
    amnesty = Action.objects.get(title="Weapons amnesty bins")
    prior = status_on(amnesty, datetime.date(2020, 3, 20))
    statuses = [s for s in ("red", "amber", "green") if s != prior][:2]
    for number in range(times):
        revise_leicester(f"{100 + number}.0", when=at(1, number), admin=admin)
        log(amnesty, owner, status=statuses[number % 2], spend="1.00", when=at(2, number))


@pytest.mark.parametrize("times", [2, 20])
def test_the_changes_page_query_count_does_not_grow_with_history(
    client_for, chair, admin, owner, django_assert_max_num_queries, times
):
    _history(times, admin, owner)
    client = client_for(chair)
    url = reverse("partnership:compare") + f"?first={FIRST_DAY}&last={LAST_DAY}"
    with django_assert_max_num_queries(22):
        response = client.get(url)
    assert response.status_code == 200
    changes = response.context["report"].changes
    assert sum(1 for c in changes if c.kind == Kind.RAG) == times


def test_a_later_correction_does_not_rewrite_the_window_and_a_correction_in_it_shows(chair, owner):
    amnesty = Action.objects.get(title="Weapons amnesty bins")
    prior = status_on(amnesty, datetime.date(2020, 3, 20))
    first, second = [s for s in ("red", "amber", "green") if s != prior][:2]
    update = log(amnesty, owner, status=first, spend="0", when=at(1))
    labels = dict(RagStatus.choices)

    def rag():
        report = changes_between_days(FIRST_DAY, LAST_DAY, chair)
        return [c.detail.split(" (")[0] for c in report.changes if c.kind == Kind.RAG]

    assert rag() == [f"{labels[prior]} → {labels[first]}"]
    correction = log(amnesty, owner, status=second, spend="0", when=at(9))  # after the window
    ProgressUpdate.objects.filter(pk=correction.pk).update(corrects=update)
    assert rag() == [f"{labels[prior]} → {labels[first]}"]
    ProgressUpdate.objects.filter(pk=correction.pk).update(created_at=at(3))  # inside it
    assert rag() == [f"{labels[first]} → {labels[second]}"]


def test_a_correction_in_the_window_adds_only_the_spend_it_changed(chair, owner):
    amnesty = Action.objects.get(title="Weapons amnesty bins")
    earlier = log(amnesty, owner, status="amber", spend="100.00", when=at(-5))
    correction = log(amnesty, owner, status="amber", spend="130.00", when=at(2))
    ProgressUpdate.objects.filter(pk=correction.pk).update(corrects=earlier)
    report = changes_between_days(FIRST_DAY, LAST_DAY, chair)
    assert [c.detail for c in report.changes if c.kind == Kind.SPEND] == ["£30.00 logged"]
