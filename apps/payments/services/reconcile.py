"""Catching up with Stripe when webhooks were lost: payments still `created` some minutes after their
intent was made are looked up in Stripe and moved forward as the missed webhook would have."""
import logging
from datetime import timedelta

import stripe
from django.db import transaction
from django.utils import timezone
from opentelemetry.trace import SpanKind

from apps.core.money import from_minor_units
from apps.core.tracing import get_tracer

from .. import registry
from ..integrations.stripe.client import card_label
from ..models import Payment, PaymentStatus
from .breaker import BreakerOpen
from .gateway import call_stripe

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
                intent = call_stripe(lambda client, intent_id=payment.intent_id: client.v1.payment_intents.retrieve(
                    intent_id, params={"expand": ["latest_charge"]}), name="payment_intent.retrieve", span=span)
            except (BreakerOpen, stripe.APIConnectionError, stripe.APIError, stripe.RateLimitError):
                logger.warning("stripe unreachable; reconciliation resumes next run")
                break
            except stripe.StripeError:
                logger.exception("payment %s cannot be reconciled", payment.intent_id)
                continue
        moved += _apply(payment.pk, intent)
    return moved


@transaction.atomic
def _apply(payment_id: int, intent) -> int:
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    if intent.status == "succeeded" and payment.can_move_to(PaymentStatus.SUCCEEDED):
        charge = intent.latest_charge if not isinstance(intent.latest_charge, str) else None
        card = charge.payment_method_details.card.to_dict() if charge and charge.payment_method_details else None
        payment.status = PaymentStatus.SUCCEEDED
        payment.amount_received = from_minor_units(intent.amount_received or 0)
        payment.charge_id = charge.id if charge else (intent.latest_charge or "")
        payment.payment_method_label = card_label(payment.payment_method_type, card)
        event_type = "payment_intent.succeeded"
    elif intent.status in ("canceled", "requires_payment_method") and intent.last_payment_error is not None \
            and payment.can_move_to(PaymentStatus.FAILED):
        payment.status = PaymentStatus.FAILED
        event_type = "payment_intent.payment_failed"
    else:
        return 0
    payment.save()
    logger.info("payment %s reconciled from Stripe: %s", payment.intent_id, payment.status,
                extra={"intent_id": payment.intent_id, "checkout_type": payment.checkout_type})
    data = intent.to_dict() | {"payment_status": payment.status, "order_id": payment.order_id or "",
                               "payment_method_label": payment.payment_method_label}
    registry.notify(event_type, payment.confirmation_token, payment.intent_id or "", data)
    return 1
