"""The one error envelope.

Validation failures → 422 `{"errors": [{field, code, message, constraint}], "request_id"}`.
Everything else    → `{"error": CODE, "message": ..., "request_id"}` with the right status.

Apps raise `ApplicationError` subclasses (from their own `errors.py`); DRF's exceptions and
Django's 404/405/413 are mapped here, so no API response is ever an HTML page or a traceback.
"""
import logging
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import Http404, JsonResponse
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rest_framework import exceptions as drf_exceptions
from rest_framework.response import Response

from .context import current_request_id

logger = logging.getLogger(__name__)


class ApplicationError(Exception):
    """A domain error with a stable machine code, an HTTP status and a message that says how to fix it."""

    status_code = 400
    code = "BAD_REQUEST"
    message = "The request could not be processed."

    def __init__(self, message: str | None = None, *, code: str | None = None, status_code: int | None = None,
                 extra: dict | None = None, headers: dict | None = None):
        self.message = message or self.message
        self.code = code or self.code
        self.status_code = status_code or self.status_code
        self.extra = extra or {}
        self.headers = headers or {}
        super().__init__(self.message)

    def body(self) -> dict:
        return {"error": self.code, "message": self.message, **self.extra, "request_id": current_request_id()}


class NotFound(ApplicationError):
    status_code = 404
    code = "NOT_FOUND"
    message = "The requested resource does not exist."


class Unauthorized(ApplicationError):
    status_code = 401
    code = "UNAUTHORIZED"
    message = "Authentication credentials were missing or invalid."


class Conflict(ApplicationError):
    status_code = 409
    code = "CONFLICT"


class Unprocessable(ApplicationError):
    """Well-formed but not acceptable in the current state or configuration (422, one error code)."""

    status_code = 422
    code = "UNPROCESSABLE"


class BadGateway(ApplicationError):
    """A third party (Stripe, a label provider…) did not answer usefully; the caller may retry."""

    status_code = 502
    code = "BAD_GATEWAY"


@dataclass(frozen=True)
class FieldError:
    field: str
    code: str
    message: str
    constraint: str = ""

    def as_dict(self) -> dict:
        return {"field": self.field, "code": self.code, "message": self.message, "constraint": self.constraint}


@dataclass
class ValidationFailed(Exception):
    """Raised with every field error at once (clients fix them all in one round trip)."""

    errors: list[FieldError] = field(default_factory=list)
    status_code: int = 422

    def body(self) -> dict:
        return {"errors": [e.as_dict() for e in self.errors], "request_id": current_request_id()}


# DRF's built-in validation codes → the envelope's codes.
DRF_CODE_MAP = {
    "required": "REQUIRED",
    "null": "REQUIRED",
    "blank": "REQUIRED",
    "invalid": "INVALID_FORMAT",
    "parse_error": "INVALID_FORMAT",
    "max_length": "TOO_LONG",
    "min_length": "TOO_SHORT",
    "max_value": "OUT_OF_RANGE",
    "min_value": "OUT_OF_RANGE",
    "invalid_choice": "INVALID_CHOICE",
    "does_not_exist": "NOT_FOUND",
    "max_digits": "OUT_OF_RANGE",
    "max_decimal_places": "INVALID_FORMAT",
    "not_a_list": "INVALID_FORMAT",
    "not_a_dict": "INVALID_FORMAT",
    "empty": "REQUIRED",
    "unique": "ALREADY_EXISTS",
}

STATUS_CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    406: "NOT_ACCEPTABLE",
    409: "CONFLICT",
    413: "REQUEST_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    422: "VALIDATION_FAILED",
    429: "RATE_LIMITED",
    500: "INTERNAL_ERROR",
    502: "BAD_GATEWAY",
    503: "SERVICE_UNAVAILABLE",
}

STATUS_MESSAGES = {
    404: "No API endpoint or resource matches this path. See /api/docs/ for the available endpoints.",
    405: "This method is not allowed on this endpoint. See /api/docs/ for the allowed methods.",
    413: "The request body is larger than this endpoint accepts.",
    500: "An internal error occurred. Retry later; quote the request_id if you contact support.",
    503: "A service this request needs is briefly unavailable. Nothing was lost; retry in a few seconds.",
}

# A backing service (Redis, PostgreSQL) that cannot be reached is an outage, not a bug: the client
# gets 503 SERVICE_UNAVAILABLE with Retry-After and may retry (with its Idempotency-Key).
DEPENDENCY_OUTAGES = (RedisConnectionError, RedisTimeoutError, OperationalError, InterfaceError)
OUTAGE_HEADERS = {"Retry-After": "5"}
# SQLSTATEs of a PostgreSQL that is going away or full: class 08 (connection exception) is matched by prefix.
UNREACHABLE_SQLSTATES = {"57P01", "57P02", "57P03", "53300"}


def is_outage(exc: Exception) -> bool:
    """Whether retrying may help: Redis or PostgreSQL cannot be reached. A database error that retrying
    cannot fix (a missing database or failed authentication, a statement timeout, an unsupported query) is
    an OperationalError too, but it is a 500 with its cause logged, not "retry in a few seconds"."""
    if not isinstance(exc, DEPENDENCY_OUTAGES):
        return False
    if not isinstance(exc, OperationalError):
        return True
    sqlstate = getattr(exc.__cause__, "sqlstate", None)
    if sqlstate is None:
        # No answer from the server at all (refused, timed out) — unless it answered with a FATAL refusal
        # (database missing, password wrong), which is configuration.
        return "FATAL:" not in str(exc.__cause__ or exc) or "too many" in str(exc.__cause__ or exc)
    return sqlstate.startswith("08") or sqlstate in UNREACHABLE_SQLSTATES


def log_outage(exc: Exception) -> None:
    logger.error("backing service unavailable", extra={"error": type(exc).__name__})


def log_database_error(exc: Exception) -> None:
    logger.error("database error that retrying cannot fix", exc_info=exc,
                 extra={"error": type(exc.__cause__ or exc).__name__,
                        "sqlstate": getattr(exc.__cause__, "sqlstate", None)})


def flatten_validation_detail(detail, constraints: dict[str, str], prefix: str = "") -> list[FieldError]:
    """Turn DRF's nested error dict into flat FieldErrors with dotted field names."""
    errors: list[FieldError] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = key if key != "non_field_errors" else "__all__"
            errors += flatten_validation_detail(value, constraints, f"{prefix}.{name}" if prefix else name)
    elif isinstance(detail, list):
        if detail and all(isinstance(item, dict) for item in detail):
            for index, item in enumerate(detail):
                errors += flatten_validation_detail(item, constraints, f"{prefix}[{index}]")
        else:
            for item in detail:
                errors += flatten_validation_detail(item, constraints, prefix)
    else:
        code = getattr(detail, "code", "invalid") or "invalid"
        errors.append(FieldError(
            field=prefix or "__all__",
            code=DRF_CODE_MAP.get(code, str(code).upper()),
            message=str(detail),
            constraint=constraints.get(prefix, ""),
        ))
    return errors


def error_body(status: int, code: str | None = None, message: str | None = None) -> dict:
    return {
        "error": code or STATUS_CODES.get(status, "ERROR"),
        "message": message or STATUS_MESSAGES.get(status, "The request could not be processed."),
        "request_id": current_request_id(),
    }


def error_json_response(status: int, code: str | None = None, message: str | None = None) -> JsonResponse:
    return JsonResponse(error_body(status, code, message), status=status)


def api_exception_handler(exc, context):
    """DRF exception handler: every API error leaves through here in the one envelope."""
    view = context.get("view")
    if isinstance(exc, ValidationFailed):
        return Response(exc.body(), status=exc.status_code)
    if isinstance(exc, ApplicationError):
        return Response(exc.body(), status=exc.status_code, headers=exc.headers)
    if isinstance(exc, drf_exceptions.ValidationError):
        constraints = getattr(view, "error_constraints", {}) or {}
        failed = ValidationFailed(flatten_validation_detail(exc.detail, constraints))
        return Response(failed.body(), status=422)
    if isinstance(exc, drf_exceptions.ParseError):
        return Response(error_body(400, "MALFORMED_JSON", f"The request body is not valid JSON: {exc.detail}"),
                        status=400)
    if isinstance(exc, (Http404, drf_exceptions.NotFound)):
        return Response(error_body(404), status=404)
    if isinstance(exc, (PermissionDenied, drf_exceptions.PermissionDenied)):
        return Response(error_body(403, "FORBIDDEN", str(getattr(exc, "detail", "")) or
                                   "You do not have permission to perform this action."), status=403)
    if isinstance(exc, RequestDataTooBig):
        return Response(error_body(413), status=413)
    if isinstance(exc, drf_exceptions.APIException):
        headers = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if isinstance(exc, drf_exceptions.Throttled) and exc.wait:
            headers["Retry-After"] = str(int(exc.wait))
        status = exc.status_code
        return Response(error_body(status, None, str(exc.detail)), status=status, headers=headers)
    if is_outage(exc):
        log_outage(exc)
        return Response(error_body(503), status=503, headers=OUTAGE_HEADERS)
    if isinstance(exc, OperationalError):
        log_database_error(exc)
        return Response(error_body(500), status=500)
    logger.exception("unhandled error in API view", extra={"view": type(view).__name__ if view else ""})
    return Response(error_body(500), status=500)
