"""The internal intents API's writes: create and confirm a PaymentIntent with one Stripe attempt each.

Unlike `charge()`, these make a single attempt: the seed's svc-payment-gateway answers an upstream
timeout with 502 `UPSTREAM_TIMEOUT` and the calling service retries with the same request id, which
maps to the same Stripe idempotency key, so the retry never creates a second intent.
"""
import hashlib
from dataclasses import dataclass
from decimal import Decimal

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction
from opentelemetry.trace import SpanKind, Status, StatusCode

from apps.core.errors import Conflict
from apps.core.money import from_minor_units, to_minor_units, to_money
from apps.core.tracing import get_tracer

from ..errors import (
    PaymentDeclined,
    PaymentGatewayUnavailable,
    PaymentNotFound,
    PaymentRequestInvalid,
    UpstreamError,
    UpstreamTimeout,
)
from ..integrations.stripe.client import card_label, is_timeout, upstream_status
from ..models import Payment, PaymentStatus
from ..selectors import apple_pay_enabled
from .breaker import BreakerOpen
from .gateway import call_stripe, idempotency_part

tracer = get_tracer("apps.payments")


@dataclass(frozen=True)
class IntentOutcome:
    intent: stripe.PaymentIntent
    stripe_request_id: str


def idempotency_key_for(*, operation: str, client_key: str, body: str) -> str:
    """From the caller's Idempotency-Key or X-Request-ID (the seed's retries repeat it) and the body: a
    retry maps to the same Stripe key, while a reused request id with another body is a new intent."""
    source = f"{client_key}\n{body}"
    return f"vantage-intent-{operation}-" + hashlib.sha256(source.encode()).hexdigest()[:32]


def _single_attempt(operation, *, name: str, span_attributes: dict) -> IntentOutcome:
    with tracer.start_as_current_span(f"payments.intents.{name}", kind=SpanKind.CLIENT, record_exception=False,
                                      set_status_on_exception=False) as span:
        span.set_attributes(span_attributes)
        try:
            intent = call_stripe(operation, name=f"payment_intent.{name}", span=span, max_retries=0)
        except BreakerOpen as exc:
            span.set_status(Status(StatusCode.ERROR, "circuit_open"))
            raise PaymentGatewayUnavailable(exc.retry_after_seconds) from exc
        except stripe.CardError as exc:
            span.set_status(Status(StatusCode.ERROR, exc.code or "card_declined"))
            raise PaymentDeclined(exc.user_message or None, extra={"decline_code": (
                getattr(exc.error, "decline_code", None) or exc.code or "card_declined")}) from exc
        except stripe.InvalidRequestError as exc:
            span.set_status(Status(StatusCode.ERROR, exc.code or "invalid_request"))
            if exc.code == "resource_missing":
                raise PaymentNotFound(exc.user_message or str(exc)) from exc
            raise PaymentRequestInvalid(exc.user_message or str(exc)) from exc
        except stripe.StripeError as exc:
            span.set_status(Status(StatusCode.ERROR, upstream_status(exc)))
            if is_timeout(exc):
                raise UpstreamTimeout(settings.PAYMENT_GATEWAY_TIMEOUT_MS) from exc
            raise UpstreamError(upstream_status(exc)) from exc
        span.set_attribute("payment_intent_id", intent.id)
        response = intent.last_response
        return IntentOutcome(intent=intent, stripe_request_id=response.request_id if response else "")


def intent_create(*, amount: Decimal, currency: str, payment_method_id: str, metadata: dict[str, str],
                  payment_method_types: list[str], idempotency_key: str) -> IntentOutcome:
    """Create an intent (not confirmed) and remember it so webhooks can find it."""
    types = [t for t in payment_method_types if t != "apple_pay" or apple_pay_enabled()] or ["card"]
    params = {"amount": to_minor_units(amount), "currency": currency.lower(), "payment_method_types": types,
              "metadata": metadata}
    if payment_method_id:
        params["payment_method"] = payment_method_id
    outcome = _single_attempt(
        lambda client: client.v1.payment_intents.create(params=params, options={"idempotency_key": idempotency_key}),
        name="create", span_attributes={"cart_id": metadata.get("cart_id", ""),
                                        "payment_method_type": "apple_pay" if "apple_pay" in types else "card"},
    )
    intent = outcome.intent
    try:
        Payment.objects.get_or_create(intent_id=intent.id, defaults={
            "order_id": metadata.get("order_id") or None, "amount": to_money(amount), "currency": currency.upper(),
            "payment_method_type": "apple_pay" if "apple_pay" in types else "card",
            "cart_id": metadata.get("cart_id", ""), "checkout_type": metadata.get("checkout_type", "guest"),
            "confirmation_token": metadata.get("confirmation_token", ""),
        })
    except IntegrityError as exc:  # one order, one intent (a 500 before; found by `make proof`'s fuzzing)
        raise Conflict(f"Order {metadata.get('order_id')} already has a PaymentIntent: confirm that one, or "
                       "create this one without metadata.order_id.", code="ORDER_ALREADY_HAS_INTENT") from exc
    return outcome


def intent_confirm(*, intent_id: str, return_url: str = "", payment_method_id: str = "") -> IntentOutcome:
    """Confirm an intent; the key includes the payment method so a declined card can be swapped."""
    params: dict = {"expand": ["latest_charge"]}
    if return_url:
        params["return_url"] = return_url
    if payment_method_id:
        params["payment_method"] = payment_method_id
    key = f"vantage-intent-confirm-{intent_id}-{idempotency_part(payment_method_id)}"
    outcome = _single_attempt(
        lambda client: client.v1.payment_intents.confirm(intent_id, params=params, options={"idempotency_key": key}),
        name="confirm", span_attributes={"payment_intent_id": intent_id},
    )
    _payment_confirmed(outcome.intent)
    return outcome


@transaction.atomic
def _payment_confirmed(intent: stripe.PaymentIntent) -> None:
    payment = Payment.objects.select_for_update().filter(intent_id=intent.id).first()
    if payment is None or intent.status != "succeeded":
        return
    charge = intent.latest_charge if not isinstance(intent.latest_charge, str) else None
    card = charge.payment_method_details.card.to_dict() if charge and charge.payment_method_details else None
    payment.charge_id = charge.id if charge else (intent.latest_charge or "")
    payment.amount_received = from_minor_units(intent.amount_received or 0)
    payment.payment_method_label = card_label(payment.payment_method_type, card)
    if payment.can_move_to(PaymentStatus.SUCCEEDED):
        payment.status = PaymentStatus.SUCCEEDED
    payment.save()
