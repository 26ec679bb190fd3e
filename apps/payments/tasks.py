"""Celery wrappers for the payments app (beat runs the reconciliation every 5 minutes)."""
from celery import shared_task

from .services.reconcile import payment_reconcile_pending


@shared_task(name="payments.reconcile_pending", acks_late=True, ignore_result=True)
def reconcile_pending() -> int:
    return payment_reconcile_pending()
