"""Chargebacks: Stripe's `charge.dispute.*` webhooks recorded on the payment (a `Dispute` row), a
`payment_disputed` analytics event and one PagerDuty page per open dispute.

The row is written in the webhook's transaction; the page is queued after commit and `alerted_at` is set
once PagerDuty accepted it, so it is neither lost nor sent twice. A dispute is about money only: it never
changes the order or its stock. Stripe does not order its deliveries, so a late `created` or `updated`
never reopens a dispute already closed.
"""
import logging
from datetime import UTC, datetime

from django.db import transaction
from django.utils import timezone

from apps.core.money import from_minor_units
from apps.experiments.public import track

from ..integrations.pagerduty.client import pagerduty_trigger
from ..models import Dispute, Payment
from ..selectors import payment_for_event

logger = logging.getLogger(__name__)

PAYMENT_DISPUTED = "payment_disputed"


def _due_by(obj: dict) -> datetime | None:
    due = (obj.get("evidence_details") or {}).get("due_by")
    return datetime.fromtimestamp(int(due), tz=UTC) if due else None


def dispute_record(*, event_type: str, obj: dict) -> Dispute | None:
    """Apply one `charge.dispute.*` event (inside the webhook's transaction); None for an unknown payment."""
    payment = payment_for_event(intent_id=obj.get("payment_intent") or "") or (
        Payment.objects.filter(charge_id=obj["charge"]).first() if obj.get("charge") else None)
    if payment is None:
        logger.warning("dispute %s for a charge we have no payment for", obj.get("id"),
                       extra={"event_type": event_type, "charge_id": obj.get("charge")})
        return None
    status = str(obj.get("status") or "needs_response")
    dispute, created = Dispute.objects.select_for_update().get_or_create(dispute_id=obj["id"], defaults={
        "payment": payment, "charge_id": obj.get("charge") or "", "amount": from_minor_units(obj.get("amount") or 0),
        "currency": (obj.get("currency") or payment.currency).upper(), "reason": obj.get("reason") or "",
        "status": status, "evidence_due_by": _due_by(obj)})
    if not created and dispute.closed_at is None:
        dispute.status, dispute.reason = status, obj.get("reason") or dispute.reason
        dispute.amount = from_minor_units(obj.get("amount") or 0)
        dispute.evidence_due_by = _due_by(obj) or dispute.evidence_due_by
    if dispute.closed_at is None and (event_type == "charge.dispute.closed" or status in Dispute.CLOSED_STATUSES):
        dispute.closed_at = timezone.now()
    dispute.save()
    logger.info("dispute %s on payment %s: %s", dispute.dispute_id, payment.intent_id, dispute.status,
                extra={"event_type": event_type, "order_id": payment.order_id, "reason": dispute.reason})
    if created:
        track(PAYMENT_DISPUTED, {
            "order_id": payment.order_id or "", "payment_intent_id": payment.intent_id or "",
            "dispute_id": dispute.dispute_id, "amount": str(dispute.amount), "currency": dispute.currency,
            "reason": dispute.reason, "status": dispute.status, "checkout_type": payment.checkout_type,
        }, {"source": "payments"})
        if dispute.closed_at is None:
            from ..tasks import alert_dispute

            transaction.on_commit(lambda: alert_dispute.delay(dispute.pk))
    return dispute


def dispute_alert_send(*, dispute_id: int) -> None:
    """Page ops about an open dispute once (evidence is due within days); no-op when already paged."""
    dispute = Dispute.objects.select_related("payment").filter(pk=dispute_id, alerted_at__isnull=True,
                                                              closed_at__isnull=True).first()
    if dispute is None:
        return
    payment = dispute.payment
    sent = pagerduty_trigger(
        summary=f"Payments: dispute {dispute.dispute_id} ({dispute.reason or 'no reason'}) on order "
                f"{payment.order_id or payment.intent_id} for {dispute.amount} {dispute.currency}",
        dedup_key=f"payments-dispute-{dispute.dispute_id}",
        details={"dispute_id": dispute.dispute_id, "order_id": payment.order_id, "payment_intent_id":
                 payment.intent_id, "charge_id": dispute.charge_id, "amount": str(dispute.amount),
                 "currency": dispute.currency, "reason": dispute.reason, "status": dispute.status,
                 "evidence_due_by": dispute.evidence_due_by.isoformat() if dispute.evidence_due_by else None},
        severity="warning")
    if sent:
        Dispute.objects.filter(pk=dispute_id).update(alerted_at=timezone.now())
