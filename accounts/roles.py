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


# Model permissions are Django-admin rights; the portal's own pages never check them (what a
# lead or owner may change is scoped to their priority by the querysets). So: Admin holds
# every permission of the portal's apps and of users and groups, plus exactly those of the
# security screens README sends it to (delete a lost phone's authenticator; read and clear
# sign-in lockouts); the Chair may view every model of the portal's apps; leads and owners
# hold none, so no Django-admin right ever reaches beyond their priority.
PORTAL_APPS = ["crime_stats", "priorities", "actions", "partnership"]
ADMIN_SECURITY_PERMISSIONS = [
    "otp_totp.view_totpdevice",
    "otp_totp.delete_totpdevice",
    "axes.view_accessattempt",
    "axes.delete_accessattempt",
    "axes.view_accessfailurelog",
    "axes.view_accesslog",
]
VIEW_EVERYTHING_ROLES = [Role.CHAIR]
NO_PERMISSION_ROLES = [Role.STRATEGIC_LEAD, Role.ACTION_OWNER]


def sync_role_permissions(apps) -> None:
    """Create the role groups and give each exactly the permissions the rules above say.

    Called from migrations (with the migration state's `apps`): any migration that adds a
    model to a portal app ends with `migrations.RunPython(sync_roles_operation)` so the roles
    cover the new model.
    """
    from django.contrib.auth.management import create_permissions

    for label in [*PORTAL_APPS, "auth", "otp_totp", "axes"]:
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
    # Filtered, not fetched one by one: a migration that runs before django-otp's or axes'
    # own finds none of theirs yet; accounts' 0002 runs after both and grants them.
    security = [
        permission
        for label, codename in (name.split(".", 1) for name in ADMIN_SECURITY_PERMISSIONS)
        for permission in Permission.objects.filter(
            content_type__app_label=label, codename=codename
        )
    ]
    admin.permissions.set(
        [
            *Permission.objects.filter(content_type__app_label__in=[*PORTAL_APPS, "auth"]),
            *security,
        ]
    )
    for role in VIEW_EVERYTHING_ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set(portal.filter(codename__startswith="view_"))
    for role in NO_PERMISSION_ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.clear()


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
