"""Stripe Tax transactions: the record, kept with the paid order's transaction, that Stripe Tax files the
calculation's tax as collected. Sent after commit by a Celery task, retried while Stripe is unreachable,
and idempotent per reference (one row per reference; Stripe's Idempotency-Key derives from it)."""
import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ..errors import TaxServiceUnavailable, TaxTransactionRefused
from ..models import TaxTransaction
from ..selectors import quiet_pending_references

logger = logging.getLogger(__name__)


def tax_transaction_record_later(*, calculation_id: str, reference: str) -> None:
    """Remember to record `calculation_id` under `reference`, and queue the task once the caller's database
    transaction commits. Does nothing for "" (quotes of the `table` provider have no calculation) or for a
    reference already recorded (or refused); a pending one is pointed at the newer calculation."""
    if not calculation_id:
        return
    if not reference:
        raise ValueError("reference is required (e.g. the order id): Stripe files one transaction per reference.")
    row, created = TaxTransaction.objects.get_or_create(reference=reference,
                                                        defaults={"calculation_id": calculation_id})
    if row.status != TaxTransaction.Status.PENDING:
        return
    if not created and row.calculation_id != calculation_id:
        TaxTransaction.objects.filter(pk=row.pk, status=TaxTransaction.Status.PENDING).update(
            calculation_id=calculation_id)
    from ..tasks import record_transaction

    transaction.on_commit(lambda: record_transaction.delay(reference))


def tax_transaction_record(*, reference: str) -> TaxTransaction | None:
    """Create Stripe's transaction for the pending row `reference` (nothing when already recorded or unknown).
    Raises `TaxServiceUnavailable` while Stripe is unreachable (the task retries); a refusal from Stripe
    (e.g. an expired calculation) marks the row `refused`, with the reason in `last_error` for ops."""
    from ..integrations.stripe.transactions import stripe_tax_transaction_create

    row = TaxTransaction.objects.filter(reference=reference).first()
    if row is None or row.status != TaxTransaction.Status.PENDING:
        return row
    TaxTransaction.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1, last_attempt_at=timezone.now())
    try:
        transaction_id = stripe_tax_transaction_create(calculation_id=row.calculation_id, reference=reference)
    except TaxServiceUnavailable as exc:
        TaxTransaction.objects.filter(pk=row.pk).update(last_error=exc.message)
        raise
    except TaxTransactionRefused as exc:
        logger.error("Stripe refused the tax transaction", extra={"reference": reference, "error": str(exc)})
        TaxTransaction.objects.filter(pk=row.pk, status=TaxTransaction.Status.PENDING).update(
            status=TaxTransaction.Status.REFUSED, last_error=str(exc)[:1000])
        row.refresh_from_db()
        return row
    TaxTransaction.objects.filter(pk=row.pk, status=TaxTransaction.Status.PENDING).update(
        status=TaxTransaction.Status.RECORDED, stripe_transaction_id=transaction_id, recorded_at=timezone.now(),
        last_error="")
    row.refresh_from_db()
    return row


def tax_transactions_record_pending(*, quiet_for: timedelta = timedelta(minutes=45)) -> int:
    """Queue again every pending transaction nobody has tried for `quiet_for`: its task was lost with a worker,
    or ran out of retries during a long Stripe outage. A task still retrying tries at least every 30 minutes
    (the task's longest backoff), so it is left to do so rather than doubled."""
    from ..tasks import record_transaction

    references = quiet_pending_references(TaxTransaction.objects.all(), quiet_for=quiet_for)
    for reference in references:
        record_transaction.delay(reference)
    return len(references)


def tax_transactions_retry(*, references: list[str]) -> int:
    """Ops' "record again" on refused or pending transactions (e.g. after fixing the Stripe Tax settings):
    back to pending, queued after commit. Recorded ones are left alone."""
    from ..tasks import record_transaction

    rows = TaxTransaction.objects.filter(reference__in=references).exclude(status=TaxTransaction.Status.RECORDED)
    retried = list(rows.values_list("reference", flat=True))
    rows.update(status=TaxTransaction.Status.PENDING)
    for reference in retried:
        transaction.on_commit(lambda reference=reference: record_transaction.delay(reference))
    return len(retried)
