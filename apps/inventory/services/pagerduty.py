"""PagerDuty for stock below 50 % of threshold: a trigger per product (dedup_key) when it pages, a
resolve when stock recovers. Events are rows written with the alert and sent after commit."""
import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from apps.core.integrations.pagerduty import pagerduty_enabled, pagerduty_event_send

from ..models import LowStockAlert, PagerDutyEvent
from ..models.channels import DeliveryStatus

logger = logging.getLogger(__name__)

RETRY_DELAYS_SECONDS = (30, 60, 300, 900, 1800)
STALE_AFTER = timedelta(minutes=2)


def dedup_key_for(product_id: str) -> str:
    return f"vantage-inventory-low-stock:{product_id}"


def _queue(event_id: int) -> None:
    from ..tasks import send_pagerduty_event

    try:
        send_pagerduty_event.apply_async(args=[event_id], retry=False)
    except Exception:  # noqa: BLE001 — the row stays pending; the sweeper queues it again
        logger.warning("could not queue a PagerDuty event; the sweeper will", extra={"pagerduty_event": event_id})


def pagerduty_event_create(*, alert: LowStockAlert, action: str) -> PagerDutyEvent | None:
    """Write a trigger/resolve in the caller's transaction (None when PagerDuty is not configured)."""
    if not pagerduty_enabled():
        logger.warning("PagerDuty not configured (PAGERDUTY_ROUTING_KEY unset); not paging",
                       extra={"sku": alert.sku, "action": action})
        return None
    payload = {
        "summary": f"Low stock: {alert.product_name} ({alert.sku}) has {alert.current_stock} units, "
                   f"below 50% of its threshold of {alert.threshold}",
        "source": "vantage-inventory",
        "severity": "critical",
        "component": alert.sku,
        "group": alert.category_slug,
        "class": "low_stock",
        "custom_details": {
            "product_id": alert.product_id, "sku": alert.sku, "current_stock": alert.current_stock,
            "threshold": alert.threshold, "avg_daily_sales": float(alert.avg_daily_sales),
            "estimated_stockout_date": alert.estimated_stockout_date.isoformat()
            if alert.estimated_stockout_date else None, "alert_id": alert.id,
        },
    }
    event = PagerDutyEvent.objects.create(alert_id=alert.id, action=action, dedup_key=dedup_key_for(alert.product_id),
                                          payload=payload, next_attempt_at=timezone.now())
    transaction.on_commit(lambda: _queue(event.id))
    return event


def pagerduty_event_attempt(*, event_id: int) -> int | None:
    """Send one pending event; returns seconds until a retry, or None when done. A resolve waits for
    an earlier trigger of the same dedup_key, so PagerDuty never sees them out of order."""
    with transaction.atomic():
        event = PagerDutyEvent.objects.select_for_update(skip_locked=True).filter(
            pk=event_id, status=DeliveryStatus.PENDING).first()
        if event is None:
            return None
        if PagerDutyEvent.objects.filter(dedup_key=event.dedup_key, status=DeliveryStatus.PENDING,
                                         id__lt=event.id).exists():
            return RETRY_DELAYS_SECONDS[0]
        outcome = pagerduty_event_send(action=event.action, dedup_key=event.dedup_key, payload=event.payload)
        event.attempts += 1
        retry_in = None
        if outcome.ok:
            event.status, event.sent_at, event.next_attempt_at = DeliveryStatus.DELIVERED, timezone.now(), None
        elif not outcome.retryable or event.attempts > len(RETRY_DELAYS_SECONDS):
            event.status, event.next_attempt_at = DeliveryStatus.FAILED, None
        else:
            retry_in = RETRY_DELAYS_SECONDS[event.attempts - 1]
            event.next_attempt_at = timezone.now() + timedelta(seconds=retry_in)
        event.last_error = outcome.error[:300]
        event.save(update_fields=["attempts", "status", "sent_at", "next_attempt_at", "last_error"])
    logger.info("pagerduty event", extra={"dedup_key": event.dedup_key, "action": event.action,
                                          "outcome": event.status, "error": outcome.error})
    return retry_in


def pagerduty_events_requeue_stale() -> int:
    stale = list(PagerDutyEvent.objects.filter(status=DeliveryStatus.PENDING,
                                               next_attempt_at__lte=timezone.now() - STALE_AFTER)
                 .values_list("id", flat=True)[:500])
    for event_id in stale:
        _queue(event_id)
    return len(stale)
