"""Admin gets the authenticator and lockout screens' permissions; leads and owners get none
(accounts.roles)."""

from django.db import migrations

from accounts.roles import sync_roles_operation


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_roles"),
        ("otp_totp", "0003_add_timestamps"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(sync_roles_operation, migrations.RunPython.noop)]
