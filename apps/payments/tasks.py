"""Celery wrappers for the payments app (beat runs the reconciliation every 5 minutes; dispute pages are
queued after the webhook's commit)."""
from celery import shared_task

from .services.reconcile import payment_reconcile_pending


@shared_task(name="payments.reconcile_pending", acks_late=True, ignore_result=True)
def reconcile_pending() -> int:
    return payment_reconcile_pending()


@shared_task(name="payments.alert_dispute", acks_late=True, ignore_result=True, autoretry_for=(Exception,),
             retry_backoff=30, max_retries=8)
def alert_dispute(dispute_id: int) -> None:
    from .services.disputes import dispute_alert_send

    dispute_alert_send(dispute_id=dispute_id)
