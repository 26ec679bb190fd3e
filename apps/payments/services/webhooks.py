"""Stripe webhook events: verified with the SDK, processed once per event id, status only forward.

Flow (the seed's): verify signature → parse → route by type → find the payment by intent id, else by
the guest's `confirmation_token` (intent metadata), else `order_id` → move its status forward →
tell the registered handlers (checkout) → 200. Everything after verification runs in one transaction
with the processed-event row, so a crash mid-way lets Stripe's redelivery try again.
"""
import json
import logging
from decimal import Decimal

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction

from apps.core.money import from_minor_units, to_money

from .. import registry
from ..models import STATUS_RANK, Payment, PaymentStatus, ProcessedStripeEvent, Refund, StripeCustomer
from ..selectors import payment_for_event
from .charges import failure_code_of, payment_refunded_total_set
from .disputes import dispute_record

logger = logging.getLogger(__name__)

SIGNATURE_TOLERANCE_SECONDS = 300
ORDER_EVENTS = {
    "payment_intent.created": PaymentStatus.CREATED,
    "payment_intent.payment_failed": PaymentStatus.FAILED,
    "payment_intent.canceled": PaymentStatus.FAILED,
    "payment_intent.succeeded": PaymentStatus.SUCCEEDED,
    "checkout.session.completed": PaymentStatus.SUCCEEDED,
}

DISPUTE_EVENTS = ("charge.dispute.created", "charge.dispute.updated", "charge.dispute.closed")


class WebhookSignatureInvalid(Exception):
    """Bad, missing or stale `Stripe-Signature`, or a body that is not an event."""


def stripe_event_verify(*, payload: bytes, signature: str) -> dict:
    """The event dict, after the SDK checked the HMAC and that the timestamp is within 300 s."""
    try:
        text = payload.decode("utf-8")
        stripe.WebhookSignature.verify_header(text, signature, settings.STRIPE_WEBHOOK_SECRET,
                                              SIGNATURE_TOLERANCE_SECONDS)
        event = json.loads(text)
    except (stripe.SignatureVerificationError, UnicodeDecodeError, ValueError) as exc:
        raise WebhookSignatureInvalid(str(exc)) from exc
    if not isinstance(event, dict) or not event.get("id") or not event.get("type"):
        raise WebhookSignatureInvalid("The signed body is not a Stripe event.")
    return event


@transaction.atomic
def stripe_event_process(*, event: dict) -> bool:
    """Apply a verified event; False when this event id was already processed (a redelivery)."""
    try:
        with transaction.atomic():
            ProcessedStripeEvent.objects.create(event_id=event["id"], event_type=event["type"])
    except IntegrityError:
        logger.info("stripe event %s already processed", event["id"],
                    extra={"event_id": event["id"], "event_type": event["type"]})
        return False
    obj = (event.get("data") or {}).get("object") or {}
    event_type = event["type"]
    metadata = obj.get("metadata") or {}
    log_extra = {"event_id": event["id"], "event_type": event_type,
                 "checkout_type": metadata.get("checkout_type", "guest")}
    if event_type in ORDER_EVENTS:
        _order_event(event_type, obj, ORDER_EVENTS[event_type], log_extra)
    elif event_type == "charge.refunded":
        _charge_refunded(obj, log_extra)
    elif event_type in DISPUTE_EVENTS:
        dispute_record(event_type=event_type, obj=obj)
    elif event_type == "payment_method.attached":
        _payment_method_attached(obj, log_extra)
    else:
        logger.info("stripe event type %s not handled; acknowledged", event_type, extra=log_extra)
    return True


def _intent_id(event_type: str, obj: dict) -> str:
    return obj.get("payment_intent") or "" if event_type == "checkout.session.completed" else obj.get("id", "")


def _order_event(event_type: str, obj: dict, target: PaymentStatus, log_extra: dict) -> None:
    metadata = obj.get("metadata") or {}
    intent_id = _intent_id(event_type, obj)
    token = metadata.get("confirmation_token", "")
    if event_type == "checkout.session.completed" and obj.get("payment_status") != "paid":
        logger.info("checkout session completed without payment; nothing to update", extra=log_extra)
        return
    payment = payment_for_event(intent_id=intent_id, confirmation_token=token, order_id=metadata.get("order_id", ""))
    if payment is None:
        payment = _payment_from_intent(intent_id, obj, metadata) if event_type.startswith("payment_intent.") else None
    else:
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if STATUS_RANK[target] < STATUS_RANK[PaymentStatus(payment.status)]:
            logger.info("stale stripe event %s for payment %s (already %s); ignored", event_type, intent_id,
                        payment.status, extra=log_extra)
            return
    if payment is not None:
        if payment.can_move_to(target):
            payment.status = target
            if target == PaymentStatus.FAILED:
                payment.failure_code = failure_code_of(obj.get("last_payment_error")) \
                    if event_type == "payment_intent.payment_failed" else "payment_canceled"
            if target == PaymentStatus.SUCCEEDED:
                payment.amount_received = from_minor_units(obj.get("amount_received") or obj.get("amount_total") or 0)
                payment.charge_id = payment.charge_id or (obj.get("latest_charge") or "")
        if intent_id and not payment.intent_id:
            payment.intent_id = intent_id
        payment.save()
    logger.info("stripe event %s applied to payment %s", event_type, intent_id, extra=log_extra)
    _notify(event_type, token or (payment.confirmation_token if payment else ""), intent_id, obj, payment)


def _payment_from_intent(intent_id: str, obj: dict, metadata: dict) -> Payment:
    """An intent this app has no record of yet (made in the Stripe dashboard, or the webhook overtook the
    API answer that records it) gets one; get_or_create settles the race with that answer."""
    payment, _ = Payment.objects.get_or_create(intent_id=intent_id, defaults={
        "order_id": metadata.get("order_id") or None,
        "amount": from_minor_units(obj.get("amount") or 0), "currency": (obj.get("currency") or "usd").upper(),
        "cart_id": metadata.get("cart_id", ""), "checkout_type": metadata.get("checkout_type", "guest"),
        "confirmation_token": metadata.get("confirmation_token", ""),
        "payment_method_type": "apple_pay" if "apple_pay" in (obj.get("payment_method_types") or []) else "card",
    })
    return Payment.objects.select_for_update().get(pk=payment.pk)


def _charge_refunded(obj: dict, log_extra: dict) -> None:
    metadata = obj.get("metadata") or {}
    intent_id = obj.get("payment_intent") or ""
    payment = payment_for_event(intent_id=intent_id, confirmation_token=metadata.get("confirmation_token", ""),
                                order_id=metadata.get("order_id", ""))
    if payment is None:
        logger.warning("charge.refunded for unknown payment %s", intent_id, extra=log_extra)
        return
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    for refund in (obj.get("refunds") or {}).get("data") or []:
        Refund.objects.get_or_create(refund_id=refund["id"], defaults={
            "payment": payment, "amount": from_minor_units(refund.get("amount") or 0),
            "reason": refund.get("reason") or "", "status": refund.get("status") or "succeeded"})
    if payment.amount_received == Decimal("0.00"):
        payment.amount_received = to_money(from_minor_units(obj.get("amount_captured") or obj.get("amount") or 0))
    reported = from_minor_units(obj.get("amount_refunded") or 0)
    if reported < payment.amount_refunded:
        logger.info("stale charge.refunded for payment %s (%s < %s refunded); ignored", intent_id, reported,
                    payment.amount_refunded, extra=log_extra)
        return
    payment_refunded_total_set(payment=payment, amount_refunded=reported)
    logger.info("charge.refunded reconciled: payment %s now %s (%s refunded)", intent_id, payment.status,
                payment.amount_refunded, extra=log_extra)
    _notify("charge.refunded", payment.confirmation_token, intent_id, obj, payment)


def _payment_method_attached(obj: dict, log_extra: dict) -> None:
    customer = StripeCustomer.objects.filter(stripe_customer_id=obj.get("customer") or "").first()
    if customer and not customer.default_payment_method_id:
        customer.default_payment_method_id = obj["id"]
        customer.save(update_fields=["default_payment_method_id"])
    logger.info("payment method attached to customer %s", obj.get("customer"), extra=log_extra)


def _notify(event_type: str, token: str, intent_id: str, obj: dict, payment: Payment | None) -> None:
    data = dict(obj)
    if payment is not None:
        data.update(payment_status=payment.status, order_id=payment.order_id or "",
                    payment_method_label=payment.payment_method_label)
    registry.notify(event_type, token, intent_id, data)
