"""Celery wrappers of the tax app (thin: each calls one service). Beat runs the pending sweep every 15 minutes."""
from celery import shared_task

from .errors import TaxServiceUnavailable


@shared_task(name="tax.record_transaction", acks_late=True, ignore_result=True,
             autoretry_for=(TaxServiceUnavailable,), retry_backoff=30, retry_backoff_max=1800, max_retries=10)
def record_transaction(reference: str) -> None:
    """Record the paid order's Stripe Tax transaction; retried with growing delays while Stripe is down."""
    from .services.transactions import tax_transaction_record

    tax_transaction_record(reference=reference)


@shared_task(name="tax.record_pending_transactions", acks_late=True, ignore_result=True)
def record_pending_transactions() -> int:
    from .services.transactions import tax_transactions_record_pending

    return tax_transactions_record_pending()
