"""Catching up with Stripe when webhooks were lost: payments still `created` some minutes after their
intent was made are looked up in Stripe and moved forward as the missed webhook would have.

`payment_intent_settle` does the same for one order on its caller's behalf (checkout's job for orders left
pending, and its expiry, which first cancels an intent still waiting for the shopper, so that a 3-D Secure
challenge completed after the order was given up cannot take money for no order)."""
import logging
from datetime import timedelta

import stripe
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from opentelemetry.trace import SpanKind

from apps.core.money import from_minor_units
from apps.core.tracing import get_tracer

from .. import registry
from ..errors import PaymentGatewayUnavailable
from ..integrations.stripe.client import card_label
from ..interface import ChargeResult
from ..models import Payment, PaymentStatus
from ..selectors import charge_result
from .breaker import BreakerOpen
from .charges import failure_code_of
from .gateway import call_stripe

# What Stripe lets us cancel: an intent waiting for the shopper (or for a capture we never asked for).
CANCELABLE_STATUSES = ("requires_action", "requires_payment_method", "requires_confirmation", "requires_capture")
UNREACHABLE = (BreakerOpen, stripe.APIConnectionError, stripe.APIError, stripe.RateLimitError)

logger = logging.getLogger(__name__)
tracer = get_tracer("apps.payments")


def payment_reconcile_pending(*, older_than: timedelta = timedelta(minutes=10), limit: int = 100) -> int:
    """Returns how many payments moved. Stops early (to retry next run) while Stripe is unreachable."""
    cutoff = timezone.now() - older_than
    pending = list(Payment.objects.filter(status=PaymentStatus.CREATED, intent_id__isnull=False,
                                          updated_at__lt=cutoff).order_by("updated_at")[:limit])
    moved = 0
    for payment in pending:
        with tracer.start_as_current_span("payments.reconcile", kind=SpanKind.CLIENT) as span:
            span.set_attribute("payment_intent_id", payment.intent_id)
            try:
                intent = _retrieve(payment.intent_id, span)
            except UNREACHABLE:
                logger.warning("stripe unreachable; reconciliation resumes next run")
                break
            except stripe.StripeError:
                logger.exception("payment %s cannot be reconciled", payment.intent_id)
                continue
        moved += _apply(payment.pk, intent)
    return moved


def _retrieve(intent_id: str, span):
    return call_stripe(lambda client: client.v1.payment_intents.retrieve(
        intent_id, params={"expand": ["latest_charge"]}), name="payment_intent.retrieve", span=span)


def payment_intent_settle(*, order_id: str, cancel_in_flight: bool = False) -> ChargeResult | None:
    """Where the order's payment stands at Stripe, recorded: `succeeded`, `failed`, or the status of an
    intent still in flight. With `cancel_in_flight`, an intent Stripe can still cancel is cancelled first.
    None when the order never got an intent. Raises PaymentGatewayUnavailable while Stripe is unreachable.
    None too when Stripe does not know the intent. The caller settles its order from the result
    (registered handlers are not told)."""
    payment = Payment.objects.filter(order_id=order_id).first()
    if payment is None or not payment.intent_id:
        return None
    if payment.status != PaymentStatus.CREATED:
        return charge_result(payment)
    intent_id = payment.intent_id
    with tracer.start_as_current_span("payments.settle", kind=SpanKind.CLIENT) as span:
        span.set_attributes({"payment_intent_id": intent_id, "order_id": order_id})
        try:
            intent = _retrieve(intent_id, span)
            if cancel_in_flight and intent.status in CANCELABLE_STATUSES:
                intent = _cancel(intent_id, span)
        except UNREACHABLE as exc:
            raise PaymentGatewayUnavailable(settings.PAYMENT_GATEWAY_RETRY_AFTER_SECONDS) from exc
        except stripe.InvalidRequestError:
            # Stripe has no such intent (another account's keys, a test object gone): nothing was charged
            logger.exception("payment intent %s of order %s cannot be looked up", intent_id, order_id)
            return None
    _apply(payment.pk, intent, notify=False)
    payment.refresh_from_db()
    if payment.status != PaymentStatus.CREATED:
        return charge_result(payment)
    return charge_result(payment, intent.to_dict())


def _cancel(intent_id: str, span):
    try:
        return call_stripe(lambda client: client.v1.payment_intents.cancel(
            intent_id, params={"cancellation_reason": "abandoned"},
            options={"idempotency_key": f"vantage-cancel-{intent_id}"}), name="payment_intent.cancel", span=span)
    except stripe.InvalidRequestError:
        # it moved on meanwhile (the shopper authenticated a moment ago): take Stripe's word for where it is
        return _retrieve(intent_id, span)


@transaction.atomic
def _apply(payment_id: int, intent, *, notify: bool = True) -> int:
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    if intent.status == "succeeded" and payment.can_move_to(PaymentStatus.SUCCEEDED):
        charge = intent.latest_charge if not isinstance(intent.latest_charge, str) else None
        card = charge.payment_method_details.card.to_dict() if charge and charge.payment_method_details else None
        payment.status = PaymentStatus.SUCCEEDED
        payment.amount_received = from_minor_units(intent.amount_received or 0)
        payment.charge_id = charge.id if charge else (intent.latest_charge or "")
        payment.payment_method_label = card_label(payment.payment_method_type, card)
        event_type = "payment_intent.succeeded"
    elif (intent.status == "canceled" or (intent.status == "requires_payment_method"
                                          and intent.last_payment_error is not None)) \
            and payment.can_move_to(PaymentStatus.FAILED):
        payment.status = PaymentStatus.FAILED
        payment.failure_code = "payment_canceled" if intent.status == "canceled" else failure_code_of(
            intent.last_payment_error.to_dict())
        event_type = "payment_intent.payment_failed"
    else:
        return 0
    payment.save()
    logger.info("payment %s reconciled from Stripe: %s", payment.intent_id, payment.status,
                extra={"intent_id": payment.intent_id, "checkout_type": payment.checkout_type})
    if notify:
        data = intent.to_dict() | {"payment_status": payment.status, "order_id": payment.order_id or "",
                                   "payment_method_label": payment.payment_method_label}
        registry.notify(event_type, payment.confirmation_token, payment.intent_id or "", data)
    return 1
