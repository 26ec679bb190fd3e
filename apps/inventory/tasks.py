"""Celery wrappers: take ids, call one service. Beat runs the check every 5 minutes, velocity
nightly, the digest at 09:00 UTC and the delivery sweeper every minute (see migration 0003)."""
from celery import shared_task

from .services.digest import low_stock_digest_send
from .services.pagerduty import pagerduty_event_attempt, pagerduty_events_requeue_stale
from .services.stock_check import stock_check_run
from .services.velocity import sales_velocity_recalculate
from .services.webhooks import webhook_deliveries_requeue_stale, webhook_delivery_attempt


@shared_task(name="inventory.run_stock_check", ignore_result=True)
def run_stock_check() -> dict:
    summary = stock_check_run()
    return {"alerted": summary.alerted, "resolved": summary.resolved, "skipped": summary.skipped}


@shared_task(name="inventory.recalculate_sales_velocity", ignore_result=True)
def recalculate_sales_velocity() -> int:
    return sales_velocity_recalculate()


@shared_task(name="inventory.send_low_stock_digest", bind=True, ignore_result=True, max_retries=5)
def send_low_stock_digest(self) -> None:
    summary = low_stock_digest_send()
    if summary.failed:
        raise self.retry(countdown=300)


@shared_task(name="inventory.deliver_webhook", bind=True, ignore_result=True, acks_late=True, max_retries=None)
def deliver_webhook(self, delivery_id: int) -> None:
    """One attempt; on failure Celery retries with the countdown the service chose (60 s, 5 min, 15 min)."""
    retry_in = webhook_delivery_attempt(delivery_id=delivery_id)
    if retry_in is not None:
        raise self.retry(countdown=retry_in)


@shared_task(name="inventory.send_pagerduty_event", bind=True, ignore_result=True, acks_late=True,
             max_retries=None)
def send_pagerduty_event(self, event_id: int) -> None:
    retry_in = pagerduty_event_attempt(event_id=event_id)
    if retry_in is not None:
        raise self.retry(countdown=retry_in)


@shared_task(name="inventory.requeue_stale_deliveries", ignore_result=True)
def requeue_stale_deliveries() -> int:
    """Deliveries whose queued task was lost (worker crash, broker outage) are queued again."""
    return webhook_deliveries_requeue_stale() + pagerduty_events_requeue_stale()
