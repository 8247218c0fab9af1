"""Template context: which roles the signed-in user holds, for the navigation."""

from django.http import HttpRequest

from accounts.roles import Role, has_role


def roles(request: HttpRequest) -> dict[str, bool]:
    """Return `is_admin_role`, `is_chair_role`, `is_lead_role` and `is_owner_role` flags."""
    user = request.user
    return {
        "is_admin_role": has_role(user, Role.ADMIN),
        "is_chair_role": has_role(user, Role.CHAIR),
        "is_lead_role": has_role(user, Role.STRATEGIC_LEAD),
        "is_owner_role": has_role(user, Role.ACTION_OWNER),
    }
