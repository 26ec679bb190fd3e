"""Refunding a received return through the payments app.

The refund is the sum of the items' refund amounts (their price plus their tax, never shipping; capped when the
return was created so an order never gets back more than it paid); payments refuses anything
above what is still refundable on the charge. A Redis lock plus the status re-check under a row
lock keep one return from being refunded twice. A failed refund leaves the return `received`;
reconciliation lists it for ops after RETURN_REFUND_OVERDUE_HOURS.
"""
import logging
from contextlib import ExitStack
from decimal import Decimal

from django.db import transaction

from apps.checkout.public import order_refunded_record
from apps.core.errors import ApplicationError
from apps.core.locks import LockUnavailable, redis_lock
from apps.payments.public import refund
from apps.returns.errors import RefundFailed
from apps.returns.models import Return, ReturnStatus

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
            return return_transition(ret=ret, to_status=ReturnStatus.REFUNDED, actor=actor,
                                     note=f"refund {result.refund_id} of {result.amount}",
                                     update_fields=("refund_id", "refunded_amount"))
