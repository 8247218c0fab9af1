"""The Django admin for the Admin role only, refusing everyone else with a plain 403.

Django's admin sends a signed-in user it will not serve to its sign-in page; the portal sends
that page to its own sign-in, which sends a signed-in user back to the admin: three redirects
in a loop. Here a signed-in user without the Admin role is refused outright, and the staff
flag alone opens nothing (a lead made staff by mistake still gets no Django-admin rights).
"""

from __future__ import annotations

from functools import update_wrapper

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponseRedirect

from accounts.roles import is_admin

NOT_FOR_YOUR_ROLE = "The Django admin is for the portal's Admin role only."
SAVED_AT_ONCE = (
    "Nothing was saved: someone else saved the same {noun} at the same moment, and the "
    "database keeps only one. Check the list below, then add or change it again if still needed."
)


class PortalAdminSite(admin.AdminSite):
    site_header = "SLP Portal administration"
    site_title = "SLP Portal admin"

    def has_permission(self, request: HttpRequest) -> bool:
        """Return True for an active staff user who holds the Admin role (or a superuser)."""
        return super().has_permission(request) and is_admin(request.user)

    def admin_view(self, view, cacheable: bool = False):
        guarded = super().admin_view(view, cacheable)

        def inner(request: HttpRequest, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied(NOT_FOR_YOUR_ROLE)
            try:
                return guarded(request, *args, **kwargs)
            except IntegrityError:
                # The form's uniqueness check passed, then another request saved the same row
                # (two admins adding one period at once): a message, not a server error.
                model_admin = getattr(view, "__self__", None)
                noun = getattr(getattr(model_admin, "model", None), "_meta", None)
                messages.error(
                    request, SAVED_AT_ONCE.format(noun=noun.verbose_name if noun else "record")
                )
                return HttpResponseRedirect(request.path.rsplit("/", 2)[0] + "/")

        return update_wrapper(inner, guarded)
