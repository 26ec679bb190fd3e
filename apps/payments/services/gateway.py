"""Calling Stripe: per-attempt timeout, retries with backoff on transient failures only, the circuit
breaker, and the `payment_attempt_*` / `payment_retry_backoff` events on the caller's span.

Every Stripe write made through here carries an idempotency key chosen by the caller, so a retry
after a timeout replays Stripe's first answer instead of creating a second object.
"""
import hashlib
import logging
import re
import time
from collections.abc import Callable
from typing import TypeVar

import stripe
from django.conf import settings
from opentelemetry.trace import Span
from prometheus_client import Counter
from stripe import StripeResponse

from ..integrations.stripe.client import is_transient, stripe_client, upstream_status
from ..metrics import PAYMENT_GATEWAY_DURATION, PAYMENT_INTENT_ERRORS
from .breaker import GatewayBreaker

logger = logging.getLogger(__name__)
T = TypeVar("T")

ATTEMPTS = Counter("payments_gateway_attempts_total", "Stripe calls by operation and outcome",
                   ["operation", "outcome"])


def idempotency_part(value: str) -> str:
    """`value` as it may appear in an `Idempotency-Key` header: ids like `pm_card_visa` unchanged (keys stay
    stable), anything else (a client's CR, NUL or non-Latin-1 text) as a digest. Raw, such input broke
    the header inside the SDK and came back as a misleading 502 (found by `make proof`'s fuzzing)."""
    if re.fullmatch(r"[A-Za-z0-9_.:-]*", value):
        return value
    return "sha256_" + hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def backoff_schedule() -> list[float]:
    """Seconds to wait before retry 1, 2, 3… (PAYMENT_GATEWAY_BACKOFF_SECONDS, default 1, 2, 4)."""
    return [float(value) for value in settings.PAYMENT_GATEWAY_BACKOFF_SECONDS] or [1.0]


def call_stripe(operation: Callable[[stripe.StripeClient], T], *, name: str, span: Span,
                max_retries: int | None = None, sleep: Callable[[float], None] = time.sleep,
                checkout_type: str = "internal", flow: str = "internal") -> T:
    """Run `operation(client)` until it succeeds, fails for good, or the breaker opens.

    Raises the last `stripe.StripeError` (card errors at once, transient ones after the retries) or
    `BreakerOpen` without calling Stripe. Sets `retry_count` on `span`. `checkout_type` and `flow`
    label the `payment_intent_errors` and `payment_gateway_duration_seconds` metrics.
    """
    with PAYMENT_GATEWAY_DURATION.labels(flow=flow).time():
        return _call_with_retries(operation, name=name, span=span, max_retries=max_retries, sleep=sleep,
                                  checkout_type=checkout_type)


def _call_with_retries(operation, *, name, span, max_retries, sleep, checkout_type):
    max_retries = settings.PAYMENT_GATEWAY_MAX_RETRIES if max_retries is None else max_retries
    schedule = backoff_schedule()
    breaker = GatewayBreaker()
    client = stripe_client()
    retries = 0
    span.set_attribute("retry_count", 0)
    while True:
        breaker.before_call()
        attempt = retries + 1
        span.add_event("payment_attempt_start", {"attempt": attempt, "operation": name})
        started = time.monotonic()
        try:
            result = operation(client)
        except stripe.StripeError as exc:
            elapsed_ms = int((time.monotonic() - started) * 1000)
            transient = is_transient(exc)
            status = upstream_status(exc)
            span.add_event("payment_attempt_result", {
                "attempt": attempt, "operation": name, "outcome": "failure", "status_code": status,
                "error_type": type(exc).__name__, "duration_ms": elapsed_ms,
            })
            ATTEMPTS.labels(operation=name, outcome="transient" if transient else "rejected").inc()
            if transient:
                PAYMENT_INTENT_ERRORS.labels(checkout_type=checkout_type, error_code=status).inc()
            if exc.request_id:
                span.set_attribute("stripe_request_id", exc.request_id)
            if not transient:
                breaker.record_success()
                raise
            breaker.record_failure(exc)
            logger.warning("stripe %s attempt %d failed: %s", name, attempt, status,
                           extra={"operation": name, "attempt": attempt, "upstream_status": status})
            if retries >= max_retries:
                raise
            wait = schedule[min(retries, len(schedule) - 1)]
            span.add_event("payment_retry_backoff", {"attempt": attempt, "wait_duration_ms": int(wait * 1000)})
            retries += 1
            span.set_attribute("retry_count", retries)
            sleep(wait)
            continue
        ATTEMPTS.labels(operation=name, outcome="success").inc()
        breaker.record_success()
        # a typed call's object carries its response; a `raw_request` returns the response itself
        response = result if isinstance(result, StripeResponse) else getattr(result, "last_response", None)
        span.add_event("payment_attempt_result", {
            "attempt": attempt, "operation": name, "outcome": "success",
            "status_code": str(response.code if response else 200),
            "duration_ms": int((time.monotonic() - started) * 1000),
        })
        if response is not None and response.request_id:
            span.set_attribute("stripe_request_id", response.request_id)
        return result
