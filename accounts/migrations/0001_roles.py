"""Create the portal's four role groups with their model permissions.

The permissions of the portal's apps are created here first: Django normally creates them
after all migrations have run, too late for a data migration that assigns them.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

APPS = ["crime_stats", "priorities", "actions"]


def create_roles(apps, schema_editor):
    from accounts.roles import READ_ONLY_MODELS, ROLE_EXTRA_PERMISSIONS, Role

    for label in [*APPS, "auth"]:
        app_config = apps.get_app_config(label)
        # Migration-state app configs carry no models module; create_permissions needs one set.
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    view_codenames = [
        (app, f"view_{model}") for app, models in READ_ONLY_MODELS.items() for model in models
    ]

    def permissions(pairs):
        found = []
        for app, codename in pairs:
            found.append(Permission.objects.get(content_type__app_label=app, codename=codename))
        return found

    admin, _ = Group.objects.get_or_create(name=Role.ADMIN)
    admin.permissions.set(
        Permission.objects.filter(content_type__app_label__in=[*APPS, "auth"])
    )
    for role, extra in ROLE_EXTRA_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        extra_pairs = [tuple(name.split(".", 1)) for name in extra]
        group.permissions.set(permissions(view_codenames + extra_pairs))


def remove_roles(apps, schema_editor):
    from accounts.roles import Role

    apps.get_model("auth", "Group").objects.filter(name__in=[r.value for r in Role]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("crime_stats", "0001_initial"),
        ("priorities", "0001_initial"),
        ("actions", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
