"""Stripe Tax reversals: when money goes back to the shopper (a cancelled order, a refunded return, an ops
refund of an amount), the order's Stripe Tax transaction is reversed, in full, by line or by a flat amount, so
Stripe Tax no longer files the refunded tax as collected. Queued in the refund's database transaction, sent
after commit by a Celery task, retried while Stripe is unreachable or the original transaction is still
pending, and idempotent per refund (one row per reversal reference; Stripe's Idempotency-Key and reference
derive from it). Orders priced by the `table` provider have no transaction, so nothing is reversed."""
import logging
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ..errors import TaxServiceUnavailable, TaxTransactionNotRecorded, TaxTransactionRefused
from ..interface import TaxReversalLine
from ..models import TaxReversal, TaxTransaction
from ..selectors import quiet_pending_references

logger = logging.getLogger(__name__)


def tax_reversal_record_later(*, transaction_reference: str, reversal_reference: str,
                              lines: list[TaxReversalLine] | None = None, flat_amount: Decimal | None = None) -> None:
    """Remember to reverse the transaction `transaction_reference` (the order id): in full for `lines` and
    `flat_amount` None, else those lines, or `flat_amount` (refunded, tax included) spread over the transaction;
    queue the task once the caller's database transaction commits. Does nothing when the order has no Stripe Tax
    transaction, or when `reversal_reference` (derived from the refund id) is already known: the same refund
    reported twice reverses once."""
    if not reversal_reference:
        raise ValueError("reversal_reference is required (derive it from the refund id): one reversal per refund.")
    if lines is not None and flat_amount is not None:
        raise ValueError("Give the refunded lines or a flat amount, not both: Stripe reverses one or the other.")
    if flat_amount is not None and flat_amount <= 0:
        return
    if not TaxTransaction.objects.filter(reference=transaction_reference).exists():
        return
    sent = [{"reference": line.reference, "amount": str(line.amount), "tax": str(line.tax),
             "quantity": line.quantity} for line in lines or []]
    if lines is not None and not sent:
        return
    row, created = TaxReversal.objects.get_or_create(
        reference=reversal_reference, defaults={"transaction_reference": transaction_reference, "lines": sent,
                                                "flat_amount": flat_amount})
    if not created or row.status != TaxReversal.Status.PENDING:
        return
    from ..tasks import record_reversal

    transaction.on_commit(lambda: record_reversal.delay(reversal_reference))


def tax_reversal_record(*, reference: str) -> TaxReversal | None:
    """Create Stripe's reversal for the pending row `reference` (nothing when already recorded, refused or
    unknown). Raises `TaxServiceUnavailable` while Stripe is unreachable and `TaxTransactionNotRecorded` while
    the original transaction is pending (the task retries both); a refusal, of the reversal or of the original
    transaction, marks the row `refused` with the reason in `last_error` for ops."""
    from ..integrations.stripe.reversals import stripe_tax_reversal_create

    row = TaxReversal.objects.filter(reference=reference).first()
    if row is None or row.status != TaxReversal.Status.PENDING:
        return row
    original = TaxTransaction.objects.get(reference=row.transaction_reference)
    if original.status == TaxTransaction.Status.REFUSED:
        return _refused(row, "the original tax transaction was refused by Stripe: nothing to reverse")
    if original.status == TaxTransaction.Status.PENDING:
        raise TaxTransactionNotRecorded(row.transaction_reference)
    TaxReversal.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1, last_attempt_at=timezone.now())
    lines = [TaxReversalLine(reference=line["reference"], amount=Decimal(line["amount"]), tax=Decimal(line["tax"]),
                             quantity=line["quantity"]) for line in row.lines] if row.lines else None
    try:
        reversal_id, sent = stripe_tax_reversal_create(
            original_transaction_id=original.stripe_transaction_id, reference=reference, lines=lines,
            flat_amount=row.flat_amount, reversed_before=_reversed_before(row))
    except TaxServiceUnavailable as exc:
        TaxReversal.objects.filter(pk=row.pk).update(last_error=exc.message)
        raise
    except TaxTransactionRefused as exc:
        return _refused(row, str(exc))
    TaxReversal.objects.filter(pk=row.pk, status=TaxReversal.Status.PENDING).update(
        status=TaxReversal.Status.RECORDED, stripe_reversal_id=reversal_id, sent_line_items=sent,
        recorded_at=timezone.now(), last_error="")
    row.refresh_from_db()
    return row


def _reversed_before(row: TaxReversal) -> dict[str, tuple[int, int]]:
    """Cents (amount, tax) the transaction's other recorded reversals took back, per line reference."""
    taken: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for sent in (TaxReversal.objects.filter(transaction_reference=row.transaction_reference,
                                            status=TaxReversal.Status.RECORDED)
                 .exclude(pk=row.pk).values_list("sent_line_items", flat=True)):
        for item in sent:
            taken[item["reference"]][0] -= item["amount"]
            taken[item["reference"]][1] -= item["amount_tax"]
    return {reference: (amount, tax) for reference, (amount, tax) in taken.items()}


def _refused(row: TaxReversal, reason: str) -> TaxReversal:
    logger.error("Stripe Tax reversal refused", extra={"reference": row.reference, "error": reason})
    TaxReversal.objects.filter(pk=row.pk, status=TaxReversal.Status.PENDING).update(
        status=TaxReversal.Status.REFUSED, last_error=reason[:1000])
    row.refresh_from_db()
    return row


def tax_reversals_retry(*, references: list[str]) -> int:
    """Ops' "reverse again" on refused or pending reversals: back to pending, queued after commit."""
    from ..tasks import record_reversal

    rows = TaxReversal.objects.filter(reference__in=references).exclude(status=TaxReversal.Status.RECORDED)
    retried = list(rows.values_list("reference", flat=True))
    rows.update(status=TaxReversal.Status.PENDING)
    for reference in retried:
        transaction.on_commit(lambda reference=reference: record_reversal.delay(reference))
    return len(retried)


def tax_reversals_record_pending(*, quiet_for: timedelta = timedelta(minutes=45)) -> int:
    """Queue again every pending reversal nobody has tried for `quiet_for` (its task was lost, or gave up during
    a long outage), as the sweep does for transactions."""
    from ..tasks import record_reversal

    references = quiet_pending_references(TaxReversal.objects.all(), quiet_for=quiet_for)
    for reference in references:
        record_reversal.delay(reference)
    return len(references)
