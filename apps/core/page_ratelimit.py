"""Rate limits for HTML pages (sign up, password reset, the guest returns lookup), counted by the same
Redis limiter as the APIs (`ratelimit.RateLimit`), so every process shares them.

`@rate_limited_page("signup")` limits the view's form posts per client IP to
`settings.PAGE_RATE_LIMITS["signup"]` a minute; showing the form (GET) is never counted. Past the limit
the answer is the `429.html` page with `Retry-After` (and the `X-RateLimit-*` headers the APIs send).
"""
import time
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .client_ip import client_ip
from .ratelimit import RateLimit

COUNTED_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def too_many_requests_page(request: HttpRequest, *, retry_after_seconds: int) -> HttpResponse:
    """The shop's 429 page: what happened and when to try again."""
    minutes = max(round(retry_after_seconds / 60), 1)
    response = render(request, "429.html", {"retry_after_seconds": retry_after_seconds,
                                            "retry_after_minutes": minutes}, status=429)
    response["Retry-After"] = str(retry_after_seconds)
    return response


def rate_limited_page(scope: str) -> Callable:
    """Decorate a page view: its form posts count against `PAGE_RATE_LIMITS[scope]` per client IP a minute."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def limited(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method not in COUNTED_METHODS:
                return view(request, *args, **kwargs)
            state = RateLimit(scope=f"page:{scope}", limit=settings.PAGE_RATE_LIMITS[scope]).hit(client_ip(request))
            if state.allowed:
                response = view(request, *args, **kwargs)
            else:
                response = too_many_requests_page(
                    request, retry_after_seconds=max(int(state.reset_epoch - time.time()), 1))
            for name, value in state.headers().items():
                response[name] = value
            return response

        return limited

    return decorator
