"""Who may use the merchant API: a merchant token holder (scoped to that merchant) or ops staff."""
from rest_framework.permissions import BasePermission

from apps.core.errors import Unauthorized

from .auth import MerchantPrincipal


class IsMerchantOrOps(BasePermission):
    def has_permission(self, request, view) -> bool:
        user = request.user
        if isinstance(user, MerchantPrincipal) or (getattr(user, "is_authenticated", False) and user.is_staff):
            return True
        raise Unauthorized("Send 'Authorization: Bearer <merchant token>' (see 'manage.py issue_token').")


def merchant_scope(request) -> int | None:
    """The merchant id the caller is limited to, or None for ops (who see everything)."""
    user = request.user
    return user.merchant_id if isinstance(user, MerchantPrincipal) else None
