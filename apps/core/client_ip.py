"""The client's IP address, trusting `X-Forwarded-For` only as far as TRUSTED_PROXY_COUNT says.

With N trusted proxies in front, the client is the N-th address from the right of
X-Forwarded-For (each proxy appends the peer it saw). With 0 the header is ignored, so a
spoofed X-Forwarded-For cannot dodge per-IP limits.
"""
from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    hops = settings.TRUSTED_PROXY_COUNT
    if hops <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < hops:
        return forwarded[0] if forwarded else remote
    return forwarded[-hops]
