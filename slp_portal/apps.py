from django.apps import AppConfig


class SlpPortalConfig(AppConfig):
    """The top floor: pages that combine the apps (home, dashboard, board pack) and the demo."""

    name = "slp_portal"
    verbose_name = "SLP Portal"
