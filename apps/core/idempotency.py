"""`Idempotency-Key` support as a DRF view mixin.

Same key + same body → the first response replayed byte-for-byte with `Idempotent-Replayed: true`;
same key + different body → 422 `IDEMPOTENCY_KEY_REUSED`; a second request while the first is
still running → 409 `IDEMPOTENCY_KEY_IN_USE`. Keys live 24 h.

A Redis lock makes concurrent duplicates cheap to refuse; the PostgreSQL row (unique on scope and
key) is the durable record and still guards correctness when Redis is down. Responses of 5xx are
not stored: the client's retry with the same key runs again, and the domain service resumes its
own pending work (e.g. the same pending order) instead of starting over.
"""
import hashlib
from contextlib import ExitStack
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter

from .errors import error_json_response
from .locks import LockUnavailable, redis_lock
from .models import IdempotencyRecord

LOCK_TTL_SECONDS = 120  # longer than the worst payment path (4 × 8 s timeouts + 7 s backoff)
REPLAYED_HEADERS = ("Content-Type", "Location", "ETag")
MUTATING_METHODS = ("POST", "PUT", "PATCH", "DELETE")
IDEMPOTENCY_KEY_MIN_LENGTH, IDEMPOTENCY_KEY_MAX_LENGTH = 1, 255
# What a key can be and still arrive as sent: visible ASCII with inner spaces (HTTP servers strip a header
# value's outer whitespace, so "  " arrives empty and is refused). A UUID is the usual key.
IDEMPOTENCY_KEY_PATTERN = r"^[!-~](?:[ -~]*[!-~])?$"
IDEMPOTENCY_KEY_HEADER = OpenApiParameter(
    "Idempotency-Key", location=OpenApiParameter.HEADER, required=False,
    description="Repeat a request safely: the same key with the same body replays the first answer; the same key "
                f"with another body is 422 IDEMPOTENCY_KEY_REUSED. {IDEMPOTENCY_KEY_MIN_LENGTH} to "
                f"{IDEMPOTENCY_KEY_MAX_LENGTH} characters (else 422 INVALID_FORMAT), e.g. a UUID.",
    # A dict, not `str`: drf-spectacular takes a parameter's schema keywords only from a raw schema.
    type={"type": "string", "minLength": IDEMPOTENCY_KEY_MIN_LENGTH, "maxLength": IDEMPOTENCY_KEY_MAX_LENGTH,
          "pattern": IDEMPOTENCY_KEY_PATTERN})


def fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    digest.update(request.method.encode())
    digest.update(request.path.encode())
    digest.update(b"\0")
    digest.update(request.body)
    return digest.hexdigest()


def scope_for(request: HttpRequest, view_scope: str) -> str:
    """Keys are per client credential, so one client's key can never replay another's response."""
    credential = request.headers.get("Authorization", "") + request.headers.get("X-Service-Auth", "")
    return f"{view_scope}:{hashlib.sha256(credential.encode()).hexdigest()[:16]}"


def replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(bytes(record.response_body or b""), status=record.response_status)
    for name, value in record.response_headers.items():
        response[name] = value
    response["Idempotent-Replayed"] = "true"
    return response


def reused_key() -> HttpResponse:
    return error_json_response(
        422, "IDEMPOTENCY_KEY_REUSED",
        "This Idempotency-Key was already used with a different request body. Use a new key for a new request.",
    )


def in_use() -> HttpResponse:
    return error_json_response(
        409, "IDEMPOTENCY_KEY_IN_USE",
        "A request with this Idempotency-Key is still being processed. Retry in a moment with the same key.",
    )


class IdempotencyMixin:
    """Mixin for DRF APIViews; set `idempotency_scope` to a stable name for the operation."""

    idempotency_scope: str = ""

    def dispatch(self, request, *args, **kwargs):
        key = request.headers.get("Idempotency-Key")
        if key is None or request.method not in MUTATING_METHODS:
            return super().dispatch(request, *args, **kwargs)
        if not IDEMPOTENCY_KEY_MIN_LENGTH <= len(key) <= IDEMPOTENCY_KEY_MAX_LENGTH:
            return error_json_response(422, "INVALID_FORMAT", f"Idempotency-Key must be {IDEMPOTENCY_KEY_MIN_LENGTH} "
                                       f"to {IDEMPOTENCY_KEY_MAX_LENGTH} characters long.")
        scope = scope_for(request, self.idempotency_scope or type(self).__name__)
        request_fingerprint = fingerprint(request)
        with ExitStack() as held:
            try:
                # fail_open: with Redis down the unique row still refuses a concurrent duplicate.
                held.enter_context(redis_lock(f"idem:lock:{scope}:{hashlib.sha256(key.encode()).hexdigest()}",
                                              ttl=LOCK_TTL_SECONDS, fail_open=True))
            except LockUnavailable:
                record = live_record(scope, key)
                if record and record.state == IdempotencyRecord.State.COMPLETED:
                    return reused_key() if record.request_fingerprint != request_fingerprint else replay(record)
                return in_use()
            return self._run_once(request, scope, key, request_fingerprint, args, kwargs)

    def _run_once(self, request, scope, key, request_fingerprint, args, kwargs):
        record = live_record(scope, key)
        if record and record.request_fingerprint != request_fingerprint:
            return reused_key()
        if record and record.state == IdempotencyRecord.State.COMPLETED:
            return replay(record)
        if record is None:
            try:
                record = IdempotencyRecord.objects.create(scope=scope, key=key,
                                                          request_fingerprint=request_fingerprint)
            except IntegrityError:
                return in_use()
        # else: an in-flight row left by a crashed process; we hold the lock, so take it over.
        response = super().dispatch(request, *args, **kwargs)
        if hasattr(response, "render") and not getattr(response, "is_rendered", True):
            response.render()
        if response.status_code >= 500:
            record.delete()
            return response
        record.state = IdempotencyRecord.State.COMPLETED
        record.response_status = response.status_code
        record.response_body = response.content
        record.response_headers = {h: response[h] for h in REPLAYED_HEADERS if h in response}
        record.save(update_fields=["state", "response_status", "response_body", "response_headers"])
        return response


def live_record(scope: str, key: str) -> IdempotencyRecord | None:
    cutoff = timezone.now() - timedelta(seconds=settings.IDEMPOTENCY_KEY_TTL_SECONDS)
    record = IdempotencyRecord.objects.filter(scope=scope, key=key).first()
    if record and record.created_at < cutoff:
        record.delete()
        return None
    return record


def idempotency_records_purge() -> int:
    """Delete records past their 24 h life; run by beat."""
    cutoff = timezone.now() - timedelta(seconds=settings.IDEMPOTENCY_KEY_TTL_SECONDS)
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
