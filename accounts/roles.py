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


# The apps whose model permissions the roles hold. Every role may view every model of these
# apps (object-level scope is applied by the querysets); Admin holds every permission of them
# and of users and groups; the other roles hold the extra permissions listed here.
PORTAL_APPS = ["crime_stats", "priorities", "actions", "partnership"]
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


def sync_role_permissions(apps) -> None:
    """Create the role groups and give each exactly the permissions the rules above say.

    Called from migrations (with the migration state's `apps`): any migration that adds a
    model to a portal app ends with `migrations.RunPython(sync_roles_operation)` so the roles
    cover the new model.
    """
    from django.contrib.auth.management import create_permissions

    for label in [*PORTAL_APPS, "auth"]:
        try:
            app_config = apps.get_app_config(label)
        except LookupError:  # an app whose first migration has not run yet syncs in it
            continue
        # Migration-state app configs carry no models module; create_permissions needs one.
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    portal = Permission.objects.filter(content_type__app_label__in=PORTAL_APPS)
    admin, _ = Group.objects.get_or_create(name=Role.ADMIN)
    admin.permissions.set(
        Permission.objects.filter(content_type__app_label__in=[*PORTAL_APPS, "auth"])
    )
    for role, extra in ROLE_EXTRA_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = list(portal.filter(codename__startswith="view_"))
        for name in extra:
            app_label, codename = name.split(".", 1)
            wanted.append(portal.get(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)


def sync_roles_operation(apps, schema_editor) -> None:
    """RunPython entry point for `sync_role_permissions`."""
    sync_role_permissions(apps)


AnyUser = AbstractBaseUser | AnonymousUser  # signed in or not: what request.user holds


def role_names(user: AnyUser) -> set[str]:
    """Return the names of the role groups the user belongs to (cached on the user)."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._role_names = cached
    return cached


def has_role(user: AnyUser, role: Role) -> bool:
    """Return True when the user is in the role's group (superusers count as Admin)."""
    if role is Role.ADMIN and getattr(user, "is_superuser", False):
        return True
    return role.value in role_names(user)


def is_admin(user: AnyUser) -> bool:
    """Return True for an Admin (or a superuser)."""
    return has_role(user, Role.ADMIN)


def can_read_everything(user: AnyUser) -> bool:
    """Return True for the roles that read every page: Admin and Chair."""
    return is_admin(user) or has_role(user, Role.CHAIR)
