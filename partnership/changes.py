"""What changed between two moments, read from the audit trail.

Sources: import batches (their journal: who loaded which file when, how many figures it created
and revised, and when it was undone); the crime figures' history (django-simple-history), from
which the focus CSP's position and band are rebuilt as they stood at each end; the actions'
history (created); progress updates, which are append-only (RAG changes, completion, spend);
the overdue rule judged at each end on the records as they stood then; plan versions that
took effect; duty occurrences done.

Every kind of change costs a fixed number of queries, so the page's query count does not grow
with the number of events (pinned in tests/partnership/test_changes.py).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from accounts.roles import AnyUser, is_admin
from actions.models import Action, ProgressUpdate, RagStatus, readable_priorities
from actions.templatetags.money import gbp
from crime_stats.comparison import MemberRate, compare
from crime_stats.models import (
    ComparisonGroup,
    CrimeFigure,
    GroupMembership,
    ImportBatch,
    ReportingPeriod,
)
from partnership.models import DutyOccurrence, OccurrenceStatus
from priorities.models import PlanVersion


class Kind:
    """The kinds of change, in the order the page groups them."""

    FIGURES = "Crime figures loaded or revised"
    POSITION = "Position and band"
    CREATED = "Actions created"
    COMPLETED = "Actions completed"
    OVERDUE = "Actions newly overdue"
    RAG = "RAG status changes"
    SPEND = "Spend logged"
    PLAN = "Plan refreshes"
    DUTY = "Statutory duties done"

    ORDER = [FIGURES, POSITION, CREATED, COMPLETED, OVERDUE, RAG, SPEND, PLAN, DUTY]


@dataclass(frozen=True)
class Change:
    """One thing that changed: when, what kind, what it says, who did it and where to look."""

    when: datetime.datetime
    kind: str
    title: str
    detail: str
    who: str
    url: str


@dataclass
class ChangeReport:
    """The changes from `start` (inclusive) to `end` (exclusive), grouped by kind."""

    start: datetime.datetime | None
    end: datetime.datetime
    changes: list[Change] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.changes)

    def by_kind(self) -> list[tuple[str, list[Change]]]:
        """Return (kind, changes oldest first) for each kind with at least one change."""
        groups: dict[str, list[Change]] = defaultdict(list)
        for change in sorted(self.changes, key=lambda c: (c.when, c.title)):
            groups[change.kind].append(change)
        return [(kind, groups[kind]) for kind in Kind.ORDER if groups[kind]]

    @property
    def first_day(self) -> datetime.date | None:
        return timezone.localtime(self.start).date() if self.start else None

    @property
    def last_day(self) -> datetime.date:
        return timezone.localtime(self.end).date() - datetime.timedelta(days=1)


def day_start(day: datetime.date) -> datetime.datetime:
    """Return the first moment of `day` in the portal's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def changes_between_days(
    first_day: datetime.date | None, last_day: datetime.date, user: AnyUser
) -> ChangeReport:
    """Return what changed from the start of `first_day` (or the beginning) to the end of
    `last_day`, as `user` may see it."""
    start = day_start(first_day) if first_day else None
    return changes_between(start, day_start(last_day + datetime.timedelta(days=1)), user)


def changes_between(
    start: datetime.datetime | None, end: datetime.datetime, user: AnyUser
) -> ChangeReport:
    """Return every change recorded at or after `start` (None: since records began) and before
    `end`, as `user` may see it: figures for everyone, delivery for the priorities they read."""
    report = ChangeReport(start=start, end=end)
    for source in (
        _figure_batches,
        _positions,
        _actions_created,
        _progress,
        _newly_overdue,
        _spend,
        _plan_refreshes,
        _duties_done,
    ):
        report.changes.extend(source(start, end, user))
    return report


def _in_window(field_name: str, start: datetime.datetime | None, end) -> Q:
    condition = Q(**{f"{field_name}__lt": end})
    if start is not None:
        condition &= Q(**{f"{field_name}__gte": start})
    return condition


def _name(person) -> str:
    if person is None:
        return "System (data load)"
    return person.get_full_name() or person.username


def _figure_batches(start, end, user) -> list[Change]:
    """Return each file loaded (committed) or undone in the window, with its counts."""
    batches = ImportBatch.objects.filter(
        _in_window("committed_at", start, end) | _in_window("undone_at", start, end)
    ).select_related("uploaded_by")
    changes = []
    for batch in batches:
        url = reverse("data_batch", args=[batch.pk]) if is_admin(user) else reverse("comparison")
        counts = f"{batch.rows_created:,} figures created, {batch.rows_updated:,} revised"
        for moment, verb in ((batch.committed_at, "loaded"), (batch.undone_at, "undone")):
            if moment and (start is None or moment >= start) and moment < end:
                changes.append(
                    Change(
                        when=moment,
                        kind=Kind.FIGURES,
                        title=f"{batch.file_name} {verb}",
                        detail=f"{counts}; SHA-256 {batch.sha256[:12]}…",
                        who=_name(batch.uploaded_by),
                        url=url,
                    )
                )
    return changes


@dataclass(frozen=True)
class Standing:
    """The focus CSP's position and band in one period and category at one moment."""

    position: int | None
    joint: bool
    band: str | None

    def __str__(self) -> str:
        if self.position is None:
            return "no figure"
        joint = "joint " if self.joint else ""
        return f"{joint}{_ordinal(self.position)}, {self.band}"


def _ordinal(number: int) -> str:
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def _positions(start, end, user) -> list[Change]:
    """Return, for each period and category whose figures changed in the window, the focus
    CSP's position and band before and after (from the figures' history, in four queries)."""
    group = ComparisonGroup.objects.select_related("focus").first()
    if group is None:
        return []
    History = CrimeFigure.history.model
    touched = set(
        History.objects.filter(_in_window("history_date", start, end))
        .values_list("period_id", "category")
        .distinct()
    )
    if not touched:
        return []
    memberships = list(GroupMembership.objects.filter(group=group).select_related("csp"))
    periods = ReportingPeriod.objects.in_bulk({period for period, _ in touched})
    wanted = Q()
    for period_id, category in touched:
        wanted |= Q(period_id=period_id, category=category)
    rows = (
        History.objects.filter(wanted, history_date__lt=end)
        .filter(csp_id__in={m.csp_id for m in memberships})
        .order_by("history_date", "history_id")
        .values_list("csp_id", "period_id", "category", "rate", "history_type", "history_date")
    )
    # Replay the history: the rate each figure had just before `start` and just before `end`.
    before: dict[tuple, Decimal | None] = {}
    after: dict[tuple, Decimal | None] = {}
    last_change: dict[tuple[int, str], datetime.datetime] = {}
    for csp_id, period_id, category, rate, kind, moment in rows:
        value = None if kind == "-" else rate
        after[(csp_id, period_id, category)] = value
        if start is None or moment < start:
            before[(csp_id, period_id, category)] = value
        else:
            last_change[(period_id, category)] = moment
    changes = []
    for period_id, category in sorted(touched, key=lambda key: (periods[key[0]].start, key[1])):
        period = periods[period_id]
        members = [m for m in memberships if m.covers(period.start)]
        standings = [
            _standing(group, members, rates, period_id, category) for rates in (before, after)
        ]
        if standings[0] == standings[1]:
            continue
        changes.append(
            Change(
                when=last_change.get((period_id, category), end),
                kind=Kind.POSITION,
                title=f"{group.focus.name}: {category}, {period.label}",
                detail=f"{standings[0]} → {standings[1]}",
                who="",
                url=f"{reverse('comparison')}?group={group.name}&period={period.slug}"
                f"&category={category}",
            )
        )
    return changes


def _standing(group, members, rates, period_id, category) -> Standing:
    comparison = compare(
        focus=group.focus.label,
        members=[
            MemberRate(csp=m.csp.label, rate=rates.get((m.csp_id, period_id, category)))
            for m in members
        ],
    )
    row = comparison.focus_row
    if row is None or row.rate is None:
        return Standing(None, False, None)
    return Standing(row.position, row.joint, row.band)


def _visible_actions(user):
    return Action.objects.visible_to(user)


def _actions_created(start, end, user) -> list[Change]:
    """Return the actions created in the window (their first history record)."""
    records = (
        Action.history.filter(_in_window("history_date", start, end), history_type="+")
        .filter(id__in=_visible_actions(user).values("pk"))
        .select_related("history_user")
    )
    return [
        Change(
            when=record.history_date,
            kind=Kind.CREATED,
            title=record.title,
            detail=f"Due {record.due_date:%-d %b %Y}",
            who=_name(record.history_user),
            url=reverse("actions:detail", args=[record.id]),
        )
        for record in records
    ]


def _progress(start, end, user) -> list[Change]:
    """Return each update logged in the window (and not corrected before its end) whose status
    differs from the action's status as the records stood when it was logged: a RAG change, or
    a completion. A correction shows as a change from the status it replaced."""
    not_yet_corrected = ~Exists(
        ProgressUpdate.objects.filter(
            corrects=OuterRef("pk"), created_at__lt=OuterRef(OuterRef("created_at"))
        )
    )
    previous = (
        ProgressUpdate.objects.filter(
            action=OuterRef("action"), created_at__lt=OuterRef("created_at")
        )
        .filter(not_yet_corrected)
        .order_by("-reported_on", "-created_at")
        .values("status")[:1]
    )
    updates = (
        ProgressUpdate.objects.filter(_in_window("created_at", start, end))
        .filter(~Exists(ProgressUpdate.objects.filter(corrects=OuterRef("pk"), created_at__lt=end)))
        .filter(action__in=_visible_actions(user))
        .annotate(previous_status=Subquery(previous))
        .select_related("author", "action")
    )
    labels = dict(RagStatus.choices)
    changes = []
    for update in updates:
        before = update.previous_status or ""
        if update.status == before:
            continue
        completed = update.status == RagStatus.COMPLETE
        changes.append(
            Change(
                when=update.created_at,
                kind=Kind.COMPLETED if completed else Kind.RAG,
                title=update.action.title,
                detail=f"{labels.get(before, 'No update')} → {labels[update.status]} "
                f"(dated {update.reported_on:%-d %b %Y})",
                who=_name(update.author),
                url=reverse("actions:detail", args=[update.action_id]),
            )
        )
    return changes


def as_recorded(actions, moment: datetime.datetime):
    """Return `actions` that existed before `moment`, annotated with their progress as the
    records stood then: only updates logged before `moment`, and a correction logged later
    not yet replacing what it corrects. `ActionQuerySet.overdue()` then judges on these
    annotations (its `with_progress` keeps annotations already present), so an update
    back-dated after a meeting does not rewrite what the meeting was told."""
    corrected_by_then = ProgressUpdate.objects.filter(
        corrects=OuterRef("pk"), created_at__lt=moment
    )
    known = (
        ProgressUpdate.objects.filter(action=OuterRef("pk"), created_at__lt=moment)
        .filter(~Exists(corrected_by_then))
        .order_by("-reported_on", "-created_at")
    )
    return actions.filter(created_at__lt=moment).annotate(
        current_status=Coalesce(Subquery(known.values("status")[:1]), Value("")),
        last_reported_on=Subquery(known.values("reported_on")[:1]),
        reviewed_from=Coalesce(Subquery(known.values("reported_on")[:1]), F("start_date")),
    )


def _newly_overdue(start, end, user) -> list[Change]:
    """Return the actions overdue on the window's last day, as the records stood at its end,
    that were not overdue on its first day as they stood at its start."""
    if start is None:
        return []
    first_day = timezone.localtime(start).date()
    last_day = timezone.localtime(end).date() - datetime.timedelta(days=1)
    if last_day < first_day:
        return []
    overdue_at_start = as_recorded(Action.objects.all(), start).overdue(first_day)
    actions = (
        as_recorded(_visible_actions(user), end)
        .overdue(last_day)
        .exclude(pk__in=overdue_at_start.values("pk"))
        .select_related("owner", "work_stream__priority__version")
    )
    changes = []
    for action in actions:
        became = action.next_review_due() + datetime.timedelta(days=1)
        changes.append(
            Change(
                when=max(day_start(became), start),
                kind=Kind.OVERDUE,
                title=action.title,
                detail=f"Update was due by {action.next_review_due():%-d %b %Y}",
                who=_name(action.owner),
                url=reverse("actions:detail", args=[action.pk]),
            )
        )
    return changes


PRIORITY_FIELDS = (
    "action__work_stream__priority_id",
    "action__work_stream__priority__letter",
    "action__work_stream__priority__version__name",
    "action__work_stream__priority__version_id",
)


def _counted_spend(moment, user) -> dict[tuple, Decimal]:
    """Return the spend that counted at `moment` (updates logged before it and not yet
    corrected by then) summed per readable priority, in one query."""
    if moment is None:
        return {}
    rows = (
        ProgressUpdate.objects.filter(created_at__lt=moment)
        .filter(
            ~Exists(ProgressUpdate.objects.filter(corrects=OuterRef("pk"), created_at__lt=moment))
        )
        .filter(action__work_stream__priority__in=readable_priorities(user))
        .values(*PRIORITY_FIELDS)
        .annotate(total=Sum("spend"))
        .order_by()
    )
    return {tuple(row[name] for name in PRIORITY_FIELDS): row["total"] for row in rows}


def _spend(start, end, user) -> list[Change]:
    """Return the spend logged in the window per priority: what counted at its end less what
    counted at its start, so a correction adds only the difference it made."""
    before, after = _counted_spend(start, user), _counted_spend(end, user)
    changes = []
    for key in sorted(after.keys() | before.keys(), key=lambda k: (k[2], k[1])):
        logged = after.get(key, Decimal(0)) - before.get(key, Decimal(0))
        if not logged:
            continue
        priority_id, letter, version_name, version_id = key
        changes.append(
            Change(
                when=end - datetime.timedelta(microseconds=1),
                kind=Kind.SPEND,
                title=f"Priority {letter} ({version_name})",
                detail=f"{gbp(logged)} logged",
                who="",
                url=f"{reverse('actions:tracker')}?version={version_id}&priority={priority_id}",
            )
        )
    return changes


def _plan_refreshes(start, end, user) -> list[Change]:
    """Return the plan versions (refreshes) that took effect in the window."""
    first = timezone.localtime(start).date() if start else None
    last = timezone.localtime(end).date() - datetime.timedelta(days=1)
    versions = PlanVersion.objects.filter(starts_on__lte=last).select_related("plan")
    if first:
        versions = versions.filter(starts_on__gte=first)
    return [
        Change(
            when=day_start(version.starts_on),
            kind=Kind.PLAN,
            title=version.name,
            detail=f"{version.plan.title}: took effect {version.starts_on:%-d %b %Y}",
            who="",
            url=reverse("priority-changes"),
        )
        for version in versions
    ]


def _duties_done(start, end, user) -> list[Change]:
    """Return the duty occurrences marked done in the window (their history)."""
    History = DutyOccurrence.history.model
    visible = DutyOccurrence.objects.visible_to(user).values("pk")
    records = (
        History.objects.filter(_in_window("history_date", start, end))
        .filter(status=OccurrenceStatus.DONE, id__in=visible)
        .annotate(
            was=Subquery(
                History.objects.filter(id=OuterRef("id"), history_date__lt=OuterRef("history_date"))
                .order_by("-history_date")
                .values("status")[:1]
            )
        )
        .select_related("history_user", "duty")
    )
    return [
        Change(
            when=record.history_date,
            kind=Kind.DUTY,
            title=f"{record.duty.display_title}: {record.label}",
            detail=f"Done {record.completed_on:%-d %b %Y}",
            who=_name(record.history_user),
            url=reverse("partnership:duty_occurrence", args=[record.id]),
        )
        for record in records
        if record.was != OccurrenceStatus.DONE
    ]
