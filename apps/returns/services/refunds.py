"""Refunding a received return through the payments app.

The refund is the sum of the items' refund amounts (their price plus their tax, never shipping; capped when the
return was created so an order never gets back more than it paid); payments refuses anything
above what is still refundable on the charge. A Redis lock plus the status re-check under a row
lock keep one return from being refunded twice. A failed refund leaves the return `received`;
reconciliation lists it for ops after RETURN_REFUND_OVERDUE_HOURS. A recorded refund reverses its items (and
their tax) in the order's Stripe Tax transaction, when the order has one (the tax app queues it after commit).
"""
import logging
from contextlib import ExitStack
from decimal import Decimal

from django.db import transaction

from apps.checkout.public import order_get, order_refunded_record
from apps.core.errors import ApplicationError
from apps.core.locks import LockUnavailable, redis_lock
from apps.core.money import to_money
from apps.payments.public import refund
from apps.returns.errors import RefundFailed
from apps.returns.models import Return, ReturnStatus
from apps.tax.public import TaxReversalLine, tax_reversal_record_later

from .lifecycle import Actor, return_lock, return_transition

logger = logging.getLogger(__name__)

REFUND_LOCK_SECONDS = 120


def return_refund(*, return_id: str, actor: Actor) -> Return:
    """Refund a `received` return; a no-op for a return in any other state."""
    with ExitStack() as held:
        try:
            held.enter_context(redis_lock(f"returns:refund-lock:{return_id}", ttl=REFUND_LOCK_SECONDS))
        except LockUnavailable:
            return Return.objects.get(pk=return_id)
        ret = Return.objects.get(pk=return_id)
        if ret.status != ReturnStatus.RECEIVED or ret.refund_id:
            return ret
        amount = sum((item.refund_amount for item in ret.items.all()), start=Decimal("0.00"))
        if amount <= 0:
            with transaction.atomic():
                return return_transition(ret=return_lock(return_id), to_status=ReturnStatus.REFUNDED, actor=actor,
                                         note="nothing left to refund: the order's payment is already returned")
        try:
            result = refund(order_id=ret.order_id, amount=amount, reason="requested_by_customer")
        except ApplicationError as exc:
            logger.warning("refund failed", extra={"return_id": ret.id, "error": exc.code})
            raise RefundFailed(f"Refund of {amount} for {ret.id} failed: {exc.message}",
                               extra={"return_id": ret.id, "cause": exc.code}) from exc
        with transaction.atomic():
            ret = return_lock(return_id)
            ret.refund_id, ret.refunded_amount = result.refund_id, result.amount
            order_refunded_record(order_id=ret.order_id, refund_id=result.refund_id, amount=str(result.amount),
                                  reason=f"return {ret.id}")
            tax_reversal_record_later(transaction_reference=ret.order_id,
                                      reversal_reference=f"{ret.order_id}-{result.refund_id}", lines=_given_back(ret))
            return return_transition(ret=ret, to_status=ReturnStatus.REFUNDED, actor=actor,
                                     note=f"refund {result.refund_id} of {result.amount}",
                                     update_fields=("refund_id", "refunded_amount"))


def _given_back(ret: Return) -> list[TaxReversalLine]:
    """Each returned item's refund and the part of it that is tax: the line's tax in proportion to what the line
    was charged (a refund is the items' price and their tax, never shipping)."""
    order = order_get(order_id=ret.order_id)
    lines = {line.line_id: line for line in order.lines} if order else {}
    given_back = []
    for item in ret.items.all():
        line = lines.get(item.order_line_id)
        tax = to_money(item.refund_amount * line.tax_amount / line.charged_total) \
            if line and line.charged_total else Decimal("0.00")
        given_back.append(TaxReversalLine(reference=item.product_id, amount=item.refund_amount, tax=tax,
                                          quantity=item.quantity))
    return given_back
