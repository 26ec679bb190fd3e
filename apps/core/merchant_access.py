"""Who is calling a merchant API: a merchant (`MerchantPrincipal`, set by the catalog's Bearer-token
authentication, `apps.catalog.auth`) or ops staff signed in to the admin.

These live in core, not in the catalog, because they need no catalog data: every app with merchant
endpoints (inventory, returns, …) uses `IsMerchantOrOps` and `merchant_scope` without reaching
into the catalog app.
"""
from dataclasses import dataclass

from rest_framework.permissions import BasePermission

from .errors import Unauthorized


@dataclass(frozen=True)
class MerchantPrincipal:
    """`request.user` of a merchant API call; ops staff are Django users instead."""

    merchant_id: int
    merchant_slug: str
    is_authenticated: bool = True
    is_staff: bool = False
    is_anonymous: bool = False
    pk: None = None

    def __str__(self) -> str:
        return f"merchant:{self.merchant_slug}"


class IsMerchantOrOps(BasePermission):
    """A merchant token holder (scoped to that merchant) or ops staff."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if isinstance(user, MerchantPrincipal) or (getattr(user, "is_authenticated", False) and user.is_staff):
            return True
        raise Unauthorized("Send 'Authorization: Bearer <merchant token>' (see 'manage.py issue_token').")


def merchant_scope(request) -> int | None:
    """The merchant id the caller is limited to, or None for ops (who see everything)."""
    user = request.user
    return user.merchant_id if isinstance(user, MerchantPrincipal) else None
