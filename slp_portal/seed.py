"""Load the partnership's real plan data from `fixtures/seed/`, changing only what differs.

Every record is found by its natural key and written only when a value differs, so running the
loader twice writes nothing the second time (and adds no audit-history rows).
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import json
from collections import Counter
from decimal import Decimal

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from crime_stats.models import (
    ALL_CRIME,
    CSP,
    ComparisonGroup,
    CrimeFigure,
    GroupMembership,
    ImportBatch,
    ReportingPeriod,
)
from partnership.models import Duty
from priorities.models import CrossCuttingTheme, Partner, Plan, PlanVersion, Priority

SEED_DIR = settings.BASE_DIR / "fixtures" / "seed"
PLAN_TABLE = "msg_crimes_per_1000_apr_dec_2016_2018.csv"


def upsert(model: type[models.Model], counts: Counter, lookup: dict, values: dict) -> models.Model:
    """Return the row matching `lookup`, created or updated to `values`; counts what it did."""
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup, **values)
        instance.full_clean()
        instance.save()
        counts[f"{model._meta.verbose_name_plural} created"] += 1
        return instance
    changed = {name: value for name, value in values.items() if getattr(instance, name) != value}
    if changed:
        for name, value in changed.items():
            setattr(instance, name, value)
        instance.full_clean()
        instance.save(update_fields=list(changed))
        counts[f"{model._meta.verbose_name_plural} updated"] += 1
    return instance


def _rows(name: str) -> list[dict[str, str]]:
    with open(SEED_DIR / name, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _date(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


@transaction.atomic
def load_seed() -> Counter:
    """Return counts of what was created or updated while loading the seed data."""
    counts: Counter = Counter()
    _load_crime_stats(counts)
    _load_plan(counts)
    _load_duties(counts)
    return counts


def _load_duties(counts: Counter) -> None:
    """Load the statutory duties register (fixtures/seed/duties.json, each with its legal
    basis). The receiving body is set only when a duty is first created: an admin changes it
    (PCC today; a mayor or policing board later) and a later load must not undo that."""
    for spec in json.loads((SEED_DIR / "duties.json").read_text(encoding="utf-8")):
        slug = spec.pop("slug")
        if Duty.objects.filter(slug=slug).exists():
            spec.pop("receiving_body", None)
        upsert(Duty, counts, {"slug": slug}, spec)


def _load_crime_stats(counts: Counter) -> None:
    csps = {}
    for row in _rows("csps.csv"):
        csp = upsert(
            CSP, counts, {"force": row["force"], "name": row["name"]}, {"ons_code": row["ons_code"]}
        )
        csps[csp.label] = csp

    for spec in json.loads((SEED_DIR / "comparison_groups.json").read_text(encoding="utf-8")):
        focus = CSP.objects.get_by_natural_key(*spec["focus"])
        group = upsert(ComparisonGroup, counts, {"name": spec["name"]}, {"focus": focus})
        for force, name in spec["members"]:
            upsert(
                GroupMembership,
                counts,
                {
                    "group": group,
                    "csp": csps[f"{force} - {name}"],
                    "valid_from": _date(spec["valid_from"]),
                },
                {},
            )

    periods = {}
    for row in _rows("periods.csv"):
        periods[str(_date(row["start"]).year)] = upsert(
            ReportingPeriod,
            counts,
            {"slug": row["slug"]},
            {"label": row["label"], "start": _date(row["start"]), "end": _date(row["end"])},
        )

    table = SEED_DIR / PLAN_TABLE
    sha256 = hashlib.sha256(table.read_bytes()).hexdigest()
    batch = ImportBatch.objects.filter(format=ImportBatch.Format.SEED, sha256=sha256).first()
    new_batch = batch is None
    if new_batch:
        rows = _rows(PLAN_TABLE)
        batch = ImportBatch.objects.create(
            file_name=PLAN_TABLE,
            sha256=sha256,
            format=ImportBatch.Format.SEED,
            status=ImportBatch.Status.COMMITTED,
            committed_at=timezone.now(),
            rows_read=len(rows),
            options={"span": "April-December", "category": ALL_CRIME},
        )
        counts["import batches created"] += 1
    for row in _rows(PLAN_TABLE):
        csp = csps[row["CSP"]]
        for year, period in periods.items():
            figure = upsert(
                CrimeFigure,
                counts,
                {"csp": csp, "period": period, "category": ALL_CRIME},
                {"rate": Decimal(row[year])},
            )
            if figure.batch_id is None:
                figure.batch = batch
                figure.save(update_fields=["batch"])
    if new_batch:
        # The batch's provenance counts what this first load of the table did.
        batch.rows_created = counts["crime figures created"]
        batch.rows_updated = counts["crime figures updated"]
        batch.save(update_fields=["rows_created", "rows_updated"])


def _load_plan(counts: Counter) -> None:
    for name in (SEED_DIR / "partners.txt").read_text(encoding="utf-8").splitlines():
        if name.strip():
            upsert(Partner, counts, {"name": name.strip()}, {})
    for theme in json.loads((SEED_DIR / "themes.json").read_text(encoding="utf-8")):
        upsert(
            CrossCuttingTheme,
            counts,
            {"name": theme["name"]},
            {"description": theme["description"]},
        )

    spec = json.loads((SEED_DIR / "plan.json").read_text(encoding="utf-8"))
    plan = upsert(
        Plan,
        counts,
        {"title": spec["title"]},
        {
            "vision": spec["vision"],
            "starts_on": _date(spec["starts_on"]),
            "ends_on": _date(spec["ends_on"]),
        },
    )
    for version_spec in spec["versions"]:
        version = upsert(
            PlanVersion,
            counts,
            {"slug": version_spec["slug"]},
            {
                "plan": plan,
                "name": version_spec["name"],
                "starts_on": _date(version_spec["starts_on"]),
                "ends_on": _date(version_spec["ends_on"]),
            },
        )
        for priority in version_spec["priorities"]:
            upsert(
                Priority,
                counts,
                {"version": version, "letter": priority["letter"]},
                {"wording": priority["wording"], "focus_areas": priority["focus_areas"]},
            )
