from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class SlpPortalConfig(AppConfig):
    """The top floor: pages that combine the apps (home, dashboard, board pack) and the demo."""

    default = True
    name = "slp_portal"
    verbose_name = "SLP Portal"


class PortalAdminConfig(admin_apps.AdminConfig):
    """The Django admin, as the portal's own site (`slp_portal.admin_site.PortalAdminSite`)."""

    default = False
    default_site = "slp_portal.admin_site.PortalAdminSite"
