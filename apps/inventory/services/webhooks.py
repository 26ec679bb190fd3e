"""Merchant webhooks: the endpoint (URL + write-only secret), deliveries written with the alert,
and one attempt at a time with the runbook's retry schedule (1, 5, 15 minutes; every attempt logged)."""
import json
import logging
import uuid
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from apps.core.errors import FieldError, ValidationFailed

from ..integrations.webhooks.client import webhook_send
from ..integrations.webhooks.url_safety import UnsafeWebhookUrl, webhook_url_check
from ..models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from ..models.channels import DeliveryStatus

logger = logging.getLogger(__name__)

RETRY_DELAYS_SECONDS = (60, 300, 900)  # after the 1st, 2nd and 3rd failed attempt; the 4th failure gives up
SECRET_MIN_LENGTH = 16
STALE_AFTER = timedelta(minutes=2)  # a due delivery this late lost its queued task; the sweeper requeues it


def webhook_url_errors(url: str, field: str = "webhook_url") -> list[FieldError]:
    try:
        webhook_url_check(url, require_resolvable=False)
    except UnsafeWebhookUrl as problem:
        return [FieldError(field, "UNSAFE_URL", str(problem), "public https URL")]
    return []


@transaction.atomic
def webhook_endpoint_save(*, merchant_id: int, url: str, secret: str | None = None,
                          fields: tuple[str, str] = ("webhook_url", "webhook_secret")) -> WebhookEndpoint:
    """Set the merchant's endpoint. A new endpoint needs a secret; leaving it out later keeps the old one.
    `fields`: what the caller's input names the URL and the secret, for the errors (a threshold's body says
    `webhook_url`/`webhook_secret`, the endpoint's own `url`/`secret`)."""
    url_field, secret_field = fields
    endpoint = WebhookEndpoint.objects.select_for_update().filter(merchant_id=merchant_id).first()
    errors = webhook_url_errors(url, field=url_field)
    if secret is not None and len(secret) < SECRET_MIN_LENGTH:
        errors.append(FieldError(secret_field, "TOO_SHORT", f"Use a secret of at least {SECRET_MIN_LENGTH} "
                                 "random characters.", f"min {SECRET_MIN_LENGTH} characters"))
    if endpoint is None and not secret:
        errors.append(FieldError(secret_field, "REQUIRED", f"A new webhook endpoint needs {secret_field}, the "
                                 "shared secret the signature is made with.", f"min {SECRET_MIN_LENGTH} characters"))
    if errors:
        raise ValidationFailed(errors)
    endpoint = endpoint or WebhookEndpoint(merchant_id=merchant_id)
    endpoint.url, endpoint.active = url, True
    if secret:
        endpoint.secret = secret
    endpoint.save()
    return endpoint


def _queue(delivery_id: int) -> None:
    from ..tasks import deliver_webhook

    try:
        deliver_webhook.apply_async(args=[delivery_id], retry=False)
    except Exception:  # noqa: BLE001 — the row stays pending; the sweeper queues it again
        logger.warning("could not queue a webhook delivery; the sweeper will", extra={"delivery_id": delivery_id})


def webhook_delivery_create(*, merchant_id: int, payload: dict, event_id: str | None = None, alert_id: str = "",
                            event_type: str = "inventory.low_stock") -> WebhookDelivery | None:
    """Write a delivery in the caller's transaction (None when the merchant has no active endpoint);
    it is sent after commit."""
    endpoint = WebhookEndpoint.objects.filter(merchant_id=merchant_id, active=True).first()
    if endpoint is None:
        return None
    event_id = event_id or str(uuid.uuid4())
    body = json.dumps({**payload, "event_id": event_id}, separators=(",", ":"), default=str)
    delivery = WebhookDelivery.objects.create(event_id=event_id, endpoint=endpoint, merchant_id=merchant_id,
                                              event_type=event_type, alert_id=alert_id, body=body,
                                              next_attempt_at=timezone.now())
    transaction.on_commit(lambda: _queue(delivery.id))
    return delivery


def webhook_test_send(*, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """The portal's "send test webhook": a sample alert, signed and delivered like a real one."""
    payload = {"product_id": "prod_test", "sku": "TEST-SKU", "current_stock": 5, "threshold": 20,
               "threshold_type": "absolute", "avg_daily_sales": 2.5,
               "estimated_stockout_date": (timezone.now().date() + timedelta(days=2)).isoformat(),
               "timestamp": timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ"), "test": True}
    with transaction.atomic():
        return webhook_delivery_create(merchant_id=endpoint.merchant_id, payload=payload, event_type="inventory.test")


def webhook_delivery_attempt(*, delivery_id: int) -> int | None:
    """Make the next attempt of a pending delivery; returns seconds until the next retry, or None
    when there is nothing more to do (delivered, given up, or another worker has it)."""
    with transaction.atomic():
        delivery = (WebhookDelivery.objects.select_for_update(skip_locked=True).select_related("endpoint")
                    .filter(pk=delivery_id, status=DeliveryStatus.PENDING).first())
        if delivery is None:
            return None
        endpoint = delivery.endpoint
        if endpoint.active:
            outcome = webhook_send(url=endpoint.url, secret=endpoint.secret, webhook_id=delivery.event_id,
                                   body=delivery.body.encode())
            ok, status_code, latency, error = outcome.ok, outcome.status_code, outcome.latency_ms, outcome.error
        else:
            ok, status_code, latency, error = False, None, 0, "endpoint disabled"
        delivery.attempts += 1
        WebhookAttempt.objects.create(delivery=delivery, number=delivery.attempts, status_code=status_code,
                                      latency_ms=latency, error=error[:300])
        delivery.last_status_code = status_code
        retry_in = None
        now = timezone.now()
        if ok:
            delivery.status, delivery.delivered_at, delivery.next_attempt_at = DeliveryStatus.DELIVERED, now, None
        elif delivery.attempts > len(RETRY_DELAYS_SECONDS):
            delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
        else:
            retry_in = RETRY_DELAYS_SECONDS[delivery.attempts - 1]
            delivery.next_attempt_at = now + timedelta(seconds=retry_in)
        delivery.save(update_fields=["attempts", "last_status_code", "status", "delivered_at", "next_attempt_at"])
    logger.info("webhook attempt", extra={"event_id": delivery.event_id, "attempt": delivery.attempts,
                                          "status_code": status_code, "latency_ms": latency, "error": error,
                                          "outcome": delivery.status, "retry_in_seconds": retry_in})
    return retry_in


def webhook_deliveries_requeue_stale() -> int:
    """Queue pending deliveries whose retry is overdue (their queued task was lost)."""
    stale = list(WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING,
                                                next_attempt_at__lte=timezone.now() - STALE_AFTER)
                 .values_list("id", flat=True)[:500])
    for delivery_id in stale:
        _queue(delivery_id)
    return len(stale)
