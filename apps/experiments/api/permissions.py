"""Who may read analytics and use the analyst's calculator: staff (session) or internal services."""
from rest_framework.permissions import BasePermission

from apps.core.errors import Unauthorized
from apps.core.service_auth import service_token_valid


class IsStaffOrService(BasePermission):
    """A signed-in staff user, or a valid `X-Service-Auth: Bearer <token>`; else 401/403 envelope."""

    def has_permission(self, request, view) -> bool:
        if service_token_valid(request.headers.get("X-Service-Auth", "")):
            return True
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            raise Unauthorized("Sign in as staff or send 'X-Service-Auth: Bearer <token>'.")
        return bool(user.is_staff)
