"""Internal service-to-service authentication: `X-Service-Auth: Bearer <token>`.

Tokens come from SERVICE_AUTH_TOKENS (comma-separated, so a new token can be rolled out before
the old one is removed). Compared in constant time.
"""
import hmac

from django.conf import settings
from rest_framework.permissions import BasePermission

from .errors import Unauthorized


def service_token_valid(header_value: str) -> bool:
    scheme, _, token = header_value.partition(" ")
    if scheme != "Bearer" or not token:
        return False
    return any(hmac.compare_digest(token.encode(), known.encode()) for known in settings.SERVICE_AUTH_TOKENS if known)


class HasServiceAuth(BasePermission):
    """DRF permission for internal endpoints; answers 401 `UNAUTHORIZED` in the envelope."""

    def has_permission(self, request, view) -> bool:
        if not service_token_valid(request.headers.get("X-Service-Auth", "")):
            raise Unauthorized("Send a valid internal service token as 'X-Service-Auth: Bearer <token>'.")
        return True
