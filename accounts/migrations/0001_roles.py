"""Create the portal's four role groups with their model permissions (accounts.roles)."""

from django.db import migrations

from accounts.roles import sync_roles_operation


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

    operations = [migrations.RunPython(sync_roles_operation, remove_roles)]
