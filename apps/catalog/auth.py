"""Merchant API authentication: `Authorization: Bearer <token>` → a `MerchantPrincipal`.

Staff users signed in to the admin reach the same API through session auth and are ops
(they see every merchant's objects). Settings name this class (REST_FRAMEWORK); the principal and
the permission that reads it are in `apps.core.merchant_access`, since they need no catalog data.
"""
from django.db.models import Q
from rest_framework.authentication import BaseAuthentication

from apps.core.errors import Unauthorized
from apps.core.merchant_access import MerchantPrincipal

from .models import MerchantApiToken
from .services import token_hash


class MerchantTokenAuthentication(BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme != self.keyword or not token.startswith("vnt_"):
            return None  # not ours: guest-session tokens and others are handled by their views
        found = (
            MerchantApiToken.objects.select_related("merchant")
            .filter(Q(revoked_at__isnull=True), token_hash=token_hash(token.strip()))
            .first()
        )
        if found is None:
            raise Unauthorized("The Bearer token is unknown or revoked. Issue one with 'manage.py issue_token'.")
        return MerchantPrincipal(found.merchant_id, found.merchant.slug), found

    def authenticate_header(self, request) -> str:
        return self.keyword
