"""Load demonstration work-streams, actions, progress and accounts from `fixtures/demo/`.

Demo data is for trying the portal out; production never needs it. It sits on top of the seed
data (`load_seed`) and, like it, changes nothing when run twice.
"""

from __future__ import annotations

import datetime
import json
import os
from collections import Counter
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import transaction

from accounts.two_factor import demo_authenticator_give, requires_two_factor
from actions.models import Action, ProgressUpdate
from priorities.models import CrossCuttingTheme, FundingAllocation, Partner, Priority, WorkStream
from slp_portal.demo_partnership import load_partnership_demo
from slp_portal.seed import upsert

DEMO_FILE = settings.BASE_DIR / "fixtures" / "demo" / "demo.json"


def demo_password() -> str:
    """Return the demo accounts' password: `DEMO_PASSWORD`, or `demo`."""
    return os.environ.get("DEMO_PASSWORD") or "demo"


@transaction.atomic
def load_demo() -> Counter:
    """Return counts of what was created or updated while loading the demo data."""
    spec = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    counts: Counter = Counter()
    users = {user["username"]: _user(user, counts) for user in spec["users"]}
    if settings.DEBUG:
        # Admins, the chair and leads need a second factor; on a developer's machine (never in
        # production) they get the published demo secret, so `make demo-code` signs them in.
        for user in users.values():
            if requires_two_factor(user) and demo_authenticator_give(user=user):
                counts["demo authenticators added"] += 1
    priorities = {p.letter: p for p in Priority.objects.filter(version__slug=spec["version"])}
    if not priorities:
        raise LookupError("Load the seed data first: python manage.py load_seed")
    for user_spec in spec["users"]:
        for letter in user_spec.get("leads", []):
            upsert(
                Priority,
                counts,
                {"pk": priorities[letter].pk},
                {"strategic_lead": users[user_spec["username"]]},
            )
    for stream_spec in spec["work_streams"]:
        _work_stream(stream_spec, priorities, users, counts)
    load_partnership_demo(users, counts)
    return counts


def _user(spec: dict, counts: Counter) -> User:
    values = {
        "first_name": spec["first_name"],
        "last_name": spec["last_name"],
        "email": f"{spec['username']}@example.org",
        "is_staff": spec.get("is_staff", False),
    }
    user = User.objects.filter(username=spec["username"]).first()
    if user is None:
        user = User(username=spec["username"], **values)
        user.set_password(demo_password())
        user.save()
        counts["demo accounts created"] += 1
    else:
        user = upsert(User, counts, {"pk": user.pk}, values)
        if not user.check_password(demo_password()):
            user.set_password(demo_password())
            user.save(update_fields=["password"])
            counts["demo passwords reset"] += 1
    group = Group.objects.get(name=spec["role"])
    if not user.groups.filter(pk=group.pk).exists():
        user.groups.add(group)
    return user


def _work_stream(spec: dict, priorities: dict, users: dict, counts: Counter) -> None:
    stream = upsert(
        WorkStream,
        counts,
        {"priority": priorities[spec["priority"]], "name": spec["name"]},
        {
            "kind": spec["kind"],
            "description": spec["description"],
            "strategic_lead": users[spec["lead"]],
        },
    )
    for year, amount in spec["allocations"].items():
        upsert(
            FundingAllocation,
            counts,
            {"work_stream": stream, "financial_year": int(year)},
            {"amount": Decimal(amount)},
        )
    for action_spec in spec["actions"]:
        action = upsert(
            Action,
            counts,
            {"work_stream": stream, "title": action_spec["title"]},
            {
                "description": action_spec["description"],
                "indicator": action_spec["indicator"],
                "baseline": Decimal(action_spec["baseline"]),
                "target": Decimal(action_spec["target"]),
                "unit": action_spec["unit"],
                "owner": users[action_spec["owner"]],
                "partner": Partner.objects.get(name=action_spec["partner"]),
                "resources": action_spec["resources"],
                "funding": Decimal(action_spec["funding"]),
                "start_date": datetime.date.fromisoformat(action_spec["start_date"]),
                "due_date": datetime.date.fromisoformat(action_spec["due_date"]),
                "review_cadence": action_spec["review_cadence"],
            },
        )
        themes = set(CrossCuttingTheme.objects.filter(name__in=action_spec["themes"]))
        if set(action.themes.all()) != themes:
            action.themes.set(themes)
        for update in action_spec["updates"]:
            upsert(
                ProgressUpdate,
                counts,
                {
                    "action": action,
                    "reported_on": datetime.date.fromisoformat(update["reported_on"]),
                },
                {
                    "status": update["status"],
                    "indicator_value": Decimal(update["indicator_value"]),
                    "spend": Decimal(update["spend"]),
                    "narrative": update["narrative"],
                    "next_steps": update["next_steps"],
                    "author": action.owner,
                },
            )
