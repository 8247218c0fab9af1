"""The portal's four roles (Django groups) and what each may do, in one place.

Every app checks roles through these predicates, so the meaning of "chair" or "lead" is
written once. Object-level scope (which priorities a lead leads, which actions an owner
owns) lives with the objects: `Priority.objects.led_by(user)`, `Action.objects.visible_to(user)`.
"""

from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


class Role(StrEnum):
    """A role is a Django group of this exact name (DESIGN.md's fixed interface)."""

    ADMIN = "Admin"
    CHAIR = "Chair"
    STRATEGIC_LEAD = "Strategic lead"
    ACTION_OWNER = "Action owner"


# Model permissions each group holds, created by accounts/migrations/0001_roles.py.
# Admin holds every permission of the portal's apps and of users and groups.
READ_ONLY_MODELS = {
    "crime_stats": [
        "csp",
        "comparisongroup",
        "groupmembership",
        "reportingperiod",
        "crimefigure",
        "importbatch",
    ],
    "priorities": [
        "partner",
        "plan",
        "planversion",
        "priority",
        "crosscuttingtheme",
        "workstream",
        "fundingallocation",
    ],
    "actions": ["action", "progressupdate"],
}
ROLE_EXTRA_PERMISSIONS = {
    Role.CHAIR: [],
    Role.STRATEGIC_LEAD: [
        "priorities.add_workstream",
        "priorities.change_workstream",
        "priorities.add_fundingallocation",
        "priorities.change_fundingallocation",
        "actions.add_action",
        "actions.change_action",
        "actions.add_progressupdate",
    ],
    Role.ACTION_OWNER: ["actions.add_progressupdate"],
}

User = AbstractBaseUser | AnonymousUser


def role_names(user: User) -> set[str]:
    """Return the names of the role groups the user belongs to (cached on the user)."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._role_names = cached
    return cached


def has_role(user: User, role: Role) -> bool:
    """Return True when the user is in the role's group (superusers count as Admin)."""
    if role is Role.ADMIN and getattr(user, "is_superuser", False):
        return True
    return role.value in role_names(user)


def is_admin(user: User) -> bool:
    """Return True for an Admin (or a superuser)."""
    return has_role(user, Role.ADMIN)


def can_read_everything(user: User) -> bool:
    """Return True for the roles that read every page: Admin and Chair."""
    return is_admin(user) or has_role(user, Role.CHAIR)
