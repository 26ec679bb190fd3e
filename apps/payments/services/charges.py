"""Charging an order and refunding it, through the retrying, breaker-guarded gateway.

One order → one PaymentIntent: the Stripe idempotency key is `vantage-charge-<order_id>-<n>-<pm>` where n
counts earlier declines of that order, so retries and repeated calls replay the same intent while a
shopper who was declined can still pay with another card (the payment method is part of the key too, so
that holds even when the caller's transaction rolled back our record of the decline).

A payment is `succeeded` only when Stripe says its intent `succeeded`. An intent still in flight
(`requires_action` for 3-D Secure, `processing`, `requires_capture`) leaves it `created` and the caller gets
Stripe's status with the client secret; the next call for the order retrieves the intent instead of
creating one. A failed intent (`requires_payment_method`, `canceled`) is a decline (`AUTHENTICATION_FAILED`
when the 3-D Secure challenge failed).
"""
import functools
import logging
import time
from decimal import Decimal
from urllib.parse import quote as url_quote

import stripe
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from opentelemetry.trace import SpanKind, Status, StatusCode

from apps.core.inserts import insert_instances
from apps.core.money import from_minor_units, to_minor_units, to_money
from apps.core.tracing import get_tracer

from ..errors import (
    AUTHENTICATION_FAILED,
    PaymentAuthenticationFailed,
    PaymentDeclined,
    PaymentGatewayUnavailable,
    PaymentNotFound,
    PaymentRequestInvalid,
    RefundNotAllowed,
)
from ..integrations.stripe.client import card_label
from ..interface import ChargeRequest, ChargeResult, RefundResult
from ..models import STATUS_RANK, Payment, PaymentStatus, Refund
from ..selectors import charge_result, payment_method_types
from .breaker import BreakerOpen
from .gateway import call_stripe, idempotency_part

logger = logging.getLogger(__name__)
tracer = get_tracer("apps.payments")

SPAN_NAME = "checkout.guest.payment_handoff"


# An intent that did not succeed is over in these; in any other (requires_action for 3-D Secure,
# processing, requires_capture) it is still in flight.
FAILED_STATUSES = ("requires_payment_method", "canceled")
PAID_STATUSES = (PaymentStatus.SUCCEEDED, PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED)
BELOW_SUCCEEDED = [status.value for status, rank in STATUS_RANK.items() if rank < STATUS_RANK[PaymentStatus.SUCCEEDED]]


def failure_code_of(last_payment_error) -> str:
    """Our code for why an intent failed: AUTHENTICATION_FAILED for a failed 3-D Secure challenge, else the
    issuer's decline code (what a client shows the shopper)."""
    error = last_payment_error or {}
    code = error.get("code") or ""
    if code in ("payment_intent_authentication_failure", "setup_intent_authentication_failure"):
        return AUTHENTICATION_FAILED
    return error.get("decline_code") or code or "payment_failed"


def _intent_params(request: ChargeRequest) -> dict:
    metadata = {key: value for key, value in {
        "order_id": request.order_id, "cart_id": request.cart_id, "checkout_type": request.checkout_type,
        "session_id": request.session_id, "confirmation_token": request.confirmation_token,
    }.items() if value}
    params = {
        "amount": to_minor_units(request.amount), "currency": request.currency.lower(),
        "payment_method": request.payment_method_id, "confirm": True,
        "payment_method_types": payment_method_types(request.payment_method_type),
        "metadata": metadata, "expand": ["latest_charge"],
    }
    if request.customer_email:
        params["receipt_email"] = request.customer_email
    if request.stripe_customer_id:
        params["customer"] = request.stripe_customer_id
    return params


def _payment_start(request: ChargeRequest) -> Payment:
    """The order's payment row. The first call for an order is one INSERT (no transaction or savepoint
    round trips); a later one (a retry, a resume after 3-D Secure) or a concurrent first one meets the
    unique order id and reads the existing row."""
    fields = {
        "amount": to_money(request.amount), "currency": request.currency.upper(),
        "payment_method_type": request.payment_method_type, "cart_id": request.cart_id,
        "checkout_type": request.checkout_type, "confirmation_token": request.confirmation_token,
        "stripe_customer_id": request.stripe_customer_id,
    }
    if connection.in_atomic_block:  # the caller's transaction must survive the clash: a savepoint it is
        return Payment.objects.get_or_create(order_id=request.order_id, defaults=fields)[0]
    payment = Payment(order_id=request.order_id, **fields)
    try:
        insert_instances([payment])
        return payment
    except IntegrityError:
        return Payment.objects.get(order_id=request.order_id)


def _payment_record(*, payment: Payment, payment_method_type: str, intent: dict) -> Payment:
    """Remember the intent; the payment becomes `succeeded` only when the intent did. One conditional
    UPDATE (no lock held across a round trip): a webhook that already moved the payment further keeps
    its status, the status only ever moves up (`STATUS_RANK`)."""
    latest_charge = intent.get("latest_charge")
    charge = latest_charge if isinstance(latest_charge, dict) else None
    card = (charge.get("payment_method_details") or {}).get("card") if charge else None
    payment.intent_id = intent["id"]
    payment.payment_method_type = payment_method_type
    label = card_label(payment_method_type, card)
    payment.charge_id = charge["id"] if charge else (latest_charge or "")
    payment.amount_received = from_minor_units(intent.get("amount_received") or 0)
    succeeded = intent["status"] == "succeeded"
    with connection.cursor() as cursor:
        cursor.execute(_record_sql(), [
            payment.intent_id, payment_method_type, payment.charge_id, payment.amount_received, timezone.now(),
            bool(card), label, succeeded, BELOW_SUCCEEDED, PaymentStatus.SUCCEEDED.value, payment.pk])
    if card or not payment.payment_method_label:
        payment.payment_method_label = label
    if succeeded and payment.status in BELOW_SUCCEEDED:
        payment.status = PaymentStatus.SUCCEEDED
    return payment


@functools.cache
def _record_sql() -> str:
    """`_payment_record`'s UPDATE, one shape for every intent (the ORM would compile it anew each time, with
    two CASE expressions). Parameters: intent, method type, charge, amount received, updated_at; whether the
    charge named a card and the label (a label from the card wins; without one, a label a webhook recorded
    stays); whether the intent succeeded, the statuses below succeeded and `succeeded`; the payment's id."""
    quote = connection.ops.quote_name

    def column(name: str) -> str:
        return quote(Payment._meta.get_field(name).column)

    label, status = column("payment_method_label"), column("status")
    # Only the model's own quoted table and column names are formatted in; every value is a parameter.
    return (f"UPDATE {quote(Payment._meta.db_table)} SET {column('intent_id')} = %s, "  # noqa: S608
            f"{column('payment_method_type')} = %s, {column('charge_id')} = %s, {column('amount_received')} = %s, "
            f"{column('updated_at')} = %s, {label} = CASE WHEN %s OR {label} = '' THEN %s ELSE {label} END, "
            f"{status} = CASE WHEN %s AND {status} = ANY(%s) THEN %s ELSE {status} END "
            f"WHERE {quote(Payment._meta.pk.column)} = %s")


@transaction.atomic
def _payment_declined(*, payment_id: int, failure_code: str) -> None:
    """Count the decline (the next attempt gets a fresh idempotency key) and mark the payment failed."""
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    payment.declined_attempts += 1
    payment.failure_code = failure_code[:64]
    if payment.can_move_to(PaymentStatus.FAILED):
        payment.status = PaymentStatus.FAILED
    payment.save(update_fields=["declined_attempts", "failure_code", "status", "updated_at"])


def payment_charge(*, request: ChargeRequest) -> ChargeResult:
    """Create and confirm the order's PaymentIntent, or, when an earlier call already made it (3-D Secure,
    processing), ask Stripe where it stands now. Result status `succeeded`, or the status of an intent in
    flight with the client secret and next action; a failed intent raises PaymentDeclined. Repeated calls for a
    paid order return the same result."""
    payment = _payment_start(request)
    if payment.status in PAID_STATUSES:
        return charge_result(payment)
    # The intent is read as Stripe's JSON (`raw_request`): the SDK's typed call turns the response into
    # StripeObjects, ~0.4 ms of CPU per call (a twentieth of a guest checkout) for the few fields read here.
    # Requests, retries, errors (CardError, …) and the idempotency key are the SDK's as with the typed call.
    if payment.intent_id and payment.status == PaymentStatus.CREATED:
        path = f"/v1/payment_intents/{url_quote(payment.intent_id, safe='')}"
        intent = _intent_call(payment, request, name="payment_intent.retrieve", operation=lambda client: (
            client.raw_request("get", path, expand=["latest_charge"])))
    else:
        params = _intent_params(request)
        key = f"vantage-charge-{request.order_id}-{payment.declined_attempts}-" \
              f"{idempotency_part(request.payment_method_id)}"
        intent = _intent_call(payment, request, name="payment_intent.create", operation=lambda client: (
            client.raw_request("post", "/v1/payment_intents", **params, idempotency_key=key)))
    payment = _payment_record(payment=payment, payment_method_type=request.payment_method_type, intent=intent)
    status = intent["status"]
    if status in FAILED_STATUSES:
        code = failure_code_of(intent.get("last_payment_error")) if status != "canceled" else "payment_canceled"
        _payment_declined(payment_id=payment.pk, failure_code=code)
        logger.info("payment failed for order %s: intent %s", request.order_id, status,
                    extra={"order_id": request.order_id, "decline_code": code})
        if code == AUTHENTICATION_FAILED:
            raise PaymentAuthenticationFailed()
        raise PaymentDeclined(extra={"decline_code": code})
    return charge_result(payment, intent)


def _intent_call(payment: Payment, request: ChargeRequest, *, name: str, operation) -> dict:
    """One intent call (a `raw_request`) inside the `checkout.guest.payment_handoff` span, Stripe's errors
    mapped to ours; the intent as Stripe's JSON."""
    started = time.monotonic()
    with tracer.start_as_current_span(SPAN_NAME, kind=SpanKind.CLIENT, record_exception=False,
                                      set_status_on_exception=False) as span:
        span.set_attributes({"cart_id": request.cart_id, "payment_method_type": request.payment_method_type,
                             "checkout_type": request.checkout_type, "order_id": request.order_id})
        try:
            intent = call_stripe(
                operation, name=name, span=span, checkout_type=request.checkout_type,
                flow="guest_v2" if request.checkout_type == "guest" else request.checkout_type,
            ).data
        except BreakerOpen as exc:
            _span_failed(span, started, "circuit_open")
            raise PaymentGatewayUnavailable(exc.retry_after_seconds) from exc
        except stripe.CardError as exc:
            declined_intent = exc.error.payment_intent if exc.error else None
            if declined_intent is not None:
                span.set_attribute("payment_intent_id", declined_intent.id)
            _span_failed(span, started, exc.code or "card_declined")
            code = getattr(exc.error, "decline_code", None) or exc.code or "card_declined"
            _payment_declined(payment_id=payment.pk, failure_code=code)
            logger.info("payment declined for order %s: %s", request.order_id, exc.code,
                        extra={"order_id": request.order_id, "decline_code": code})
            raise PaymentDeclined(exc.user_message or None, extra={"decline_code": code}) from exc
        except stripe.InvalidRequestError as exc:
            _span_failed(span, started, exc.code or "invalid_request")
            raise PaymentRequestInvalid(f"Stripe refused the payment request: {exc.user_message or exc}") from exc
        except stripe.StripeError as exc:
            _span_failed(span, started, type(exc).__name__)
            logger.error("payment gateway unavailable for order %s after %s retries", request.order_id,
                         settings.PAYMENT_GATEWAY_MAX_RETRIES, extra={"order_id": request.order_id})
            raise PaymentGatewayUnavailable(settings.PAYMENT_GATEWAY_RETRY_AFTER_SECONDS) from exc
        span.set_attribute("payment_intent_id", intent["id"])
        span.set_attribute("payment_intent_status", intent["status"])
        span.set_attribute("payment_gateway_response_time_ms", int((time.monotonic() - started) * 1000))
        span.set_status(Status(StatusCode.OK))
    return intent


def _span_failed(span, started: float, reason: str) -> None:
    span.set_attribute("payment_gateway_response_time_ms", int((time.monotonic() - started) * 1000))
    span.set_status(Status(StatusCode.ERROR, reason))


def payment_refund(*, order_id: str, amount: Decimal, reason: str = "requested_by_customer") -> RefundResult:
    """Refund `amount` of the order's charge (all of it at most); the returns app calls this."""
    payment = Payment.objects.filter(order_id=order_id).first()
    if payment is None or not payment.intent_id:
        raise PaymentNotFound(f"No payment exists for order '{order_id}'.")
    amount = to_money(amount)
    remaining = payment.amount_received - payment.amount_refunded
    if payment.status not in (PaymentStatus.SUCCEEDED, PaymentStatus.PARTIALLY_REFUNDED) or not (
            Decimal("0") < amount <= remaining):
        raise RefundNotAllowed(f"Order '{order_id}' is {payment.status} with {remaining} refundable; "
                               f"a refund of {amount} is not possible.")
    key = f"vantage-refund-{order_id}-{payment.refunds.count()}-{to_minor_units(amount)}"
    params = {"payment_intent": payment.intent_id, "amount": to_minor_units(amount), "reason": reason,
              "metadata": {"order_id": order_id}}
    with tracer.start_as_current_span("payments.refund", kind=SpanKind.CLIENT, record_exception=False,
                                      set_status_on_exception=False) as span:
        span.set_attributes({"order_id": order_id, "payment_intent_id": payment.intent_id})
        try:
            refund = call_stripe(
                lambda client: client.v1.refunds.create(params=params, options={"idempotency_key": key}),
                name="refund.create", span=span,
            )
        except BreakerOpen as exc:
            span.set_status(Status(StatusCode.ERROR, "circuit_open"))
            raise PaymentGatewayUnavailable(exc.retry_after_seconds) from exc
        except stripe.InvalidRequestError as exc:
            span.set_status(Status(StatusCode.ERROR, exc.code or "invalid_request"))
            raise RefundNotAllowed(exc.user_message or str(exc)) from exc
        except stripe.StripeError as exc:
            span.set_status(Status(StatusCode.ERROR, type(exc).__name__))
            raise PaymentGatewayUnavailable(settings.PAYMENT_GATEWAY_RETRY_AFTER_SECONDS) from exc
    payment = payment_refund_record(payment_id=payment.pk, refund_id=refund.id, amount=from_minor_units(refund.amount),
                                    reason=reason, status=refund.status or "succeeded")
    return RefundResult(refund_id=refund.id, order_id=order_id, intent_id=payment.intent_id or "",
                        amount=from_minor_units(refund.amount), status=refund.status or "succeeded",
                        payment_status=payment.status)


@transaction.atomic
def payment_refund_record(*, payment_id: int, refund_id: str, amount: Decimal, reason: str, status: str) -> Payment:
    """Record a refund once (the API answer and the `charge.refunded` webhook may both report it)."""
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    _, created = Refund.objects.get_or_create(refund_id=refund_id, defaults={
        "payment": payment, "amount": amount, "reason": reason, "status": status})
    if created:
        payment_refunded_total_set(payment=payment, amount_refunded=payment.amount_refunded + amount)
    return payment


def payment_refunded_total_set(*, payment: Payment, amount_refunded: Decimal) -> bool:
    """Move a locked payment to (partially_)refunded for `amount_refunded`; never backwards."""
    if amount_refunded <= payment.amount_refunded and payment.status in (
            PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED):
        return False
    payment.amount_refunded = max(payment.amount_refunded, amount_refunded)
    fully = payment.amount_refunded >= payment.amount_received
    payment.status = PaymentStatus.REFUNDED if fully else PaymentStatus.PARTIALLY_REFUNDED
    payment.save(update_fields=["amount_refunded", "status", "updated_at"])
    return True
