"""Middleware of the shared HTTP layer.

Order (see settings.MIDDLEWARE): request context first so every log line and error body has
the ids; then API error shaping; body-size limits run before any view parses a body; API
security headers are added last on the way out.
"""
import logging
import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse

from .context import new_request_id, request_id_var, trace_id_var
from .errors import OUTAGE_HEADERS, error_json_response, is_outage, log_outage
from .tracing import current_trace_id_hex

logger = logging.getLogger(__name__)

REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._:-]{1,128}\Z")
API_PREFIXES = ("/api/", "/webhooks/")


def is_api_path(path: str) -> bool:
    return path.startswith(API_PREFIXES)


class RequestContextMiddleware:
    """Echo a well-formed `X-Request-ID` (or mint one) and add `X-Trace-ID` to every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if REQUEST_ID_RE.match(incoming) else new_request_id()
        trace_hex = current_trace_id_hex()
        trace_id = f"trace_{trace_hex}" if trace_hex else f"trace_{new_request_id()[4:]}"
        request.request_id, request.trace_id = request_id, trace_id
        # Left set until `request_finished` (see apps.py): Django logs 4xx/5xx responses after
        # the middleware chain has returned, and those lines must carry the ids too.
        request_id_var.set(request_id)
        trace_id_var.set(trace_id)
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        response["X-Trace-ID"] = trace_id
        return response


class ApiErrorMiddleware:
    """Under /api/ and /webhooks/, no response is HTML: Django's own 404/405/413/500 pages become
    the JSON envelope, and an unhandled exception is logged and answered as a 500 envelope."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not is_api_path(request.path) or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        replacement = error_json_response(response.status_code)
        for header in ("Allow", "Retry-After", "WWW-Authenticate"):
            if header in response:
                replacement[header] = response[header]
        return replacement

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not is_api_path(request.path):
            return None
        if isinstance(exception, Http404):
            return error_json_response(404)
        if isinstance(exception, RequestDataTooBig):
            return error_json_response(413)
        if is_outage(exception):
            log_outage(exception)
            response = error_json_response(503)
            response.headers.update(OUTAGE_HEADERS)
            return response
        logger.exception("unhandled error", extra={"path": request.path})
        return error_json_response(500)


class BodySizeLimitMiddleware:
    """Refuse an oversized body with 413 `REQUEST_TOO_LARGE` before the view parses it.

    API views default to `settings.API_MAX_BODY_BYTES` (8 KB); a view class may set
    `max_body_bytes` to override. The declared Content-Length is checked first; a body without
    one (chunked) is read once, bounded by DATA_UPLOAD_MAX_MEMORY_SIZE, and measured.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        limit = self.limit_for(request, view_func)
        if limit is None or request.method in ("GET", "HEAD", "OPTIONS", "DELETE"):
            return None
        declared = request.META.get("CONTENT_LENGTH") or ""
        try:
            size = int(declared) if declared else len(request.body)
        except (ValueError, RequestDataTooBig):
            size = limit + 1
        if size > limit:
            return error_json_response(
                413, "REQUEST_TOO_LARGE", f"The request body is {size} bytes; this endpoint accepts at most {limit}."
            )
        return None

    @staticmethod
    def limit_for(request: HttpRequest, view_func) -> int | None:
        view_class = getattr(view_func, "cls", None) or getattr(view_func, "view_class", None)
        explicit = getattr(view_class, "max_body_bytes", None)
        if explicit is not None:
            return explicit
        return settings.API_MAX_BODY_BYTES if is_api_path(request.path) else None


class ApiSecurityHeadersMiddleware:
    """The seed's security headers on every API response (HSTS is also set by SecurityMiddleware
    on HTTPS; API clients get it regardless of the scheme the proxy terminated)."""

    HEADERS = {
        "Cache-Control": "no-store",
        "Pragma": "no-cache",
        "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if is_api_path(request.path):
            for name, value in self.HEADERS.items():
                response[name] = value
        return response
