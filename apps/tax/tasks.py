"""Celery wrappers of the tax app (thin: each calls one service). Beat runs the pending sweep (transactions and
reversals) every 15 minutes."""
from celery import shared_task

from .errors import TaxServiceUnavailable, TaxTransactionNotRecorded


@shared_task(name="tax.record_transaction", acks_late=True, ignore_result=True,
             autoretry_for=(TaxServiceUnavailable,), retry_backoff=30, retry_backoff_max=1800, max_retries=10)
def record_transaction(reference: str) -> None:
    """Record the paid order's Stripe Tax transaction; retried with growing delays while Stripe is down."""
    from .services.transactions import tax_transaction_record

    tax_transaction_record(reference=reference)


@shared_task(name="tax.record_reversal", acks_late=True, ignore_result=True,
             autoretry_for=(TaxServiceUnavailable, TaxTransactionNotRecorded), retry_backoff=30,
             retry_backoff_max=1800, max_retries=10)
def record_reversal(reference: str) -> None:
    """Reverse an order's Stripe Tax transaction for a refund; retried with growing delays while Stripe is down
    or the original transaction is not recorded yet."""
    from .services.reversals import tax_reversal_record

    tax_reversal_record(reference=reference)


@shared_task(name="tax.record_pending_transactions", acks_late=True, ignore_result=True)
def record_pending_transactions() -> int:
    """The sweep of transactions and of reversals whose task was lost (the task name predates reversals)."""
    from .services.reversals import tax_reversals_record_pending
    from .services.transactions import tax_transactions_record_pending

    return tax_transactions_record_pending() + tax_reversals_record_pending()
