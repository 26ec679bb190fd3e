"""Ops refund (part of) an order from the admin, through the payments service.

The payments service refuses anything above what is still refundable; the refund is announced on
`orders.events` (`order_refunded`, with who did it and why), which also emails the shopper. An order
priced by Stripe Tax has its tax transaction reversed too (after commit, once per refund): in full when
the whole order is refunded at once, else by the refunded amount (tax included), which Stripe spreads over
the order's lines and shipping.
"""
from decimal import Decimal

from django.db import transaction

from apps.payments.public import RefundResult, refund
from apps.tax.public import tax_reversal_record_later

from ..errors import OrderNotFound
from ..models import Order
from .fulfillment import order_change_lock
from .order_events import ORDER_REFUNDED, order_event_publish

STRIPE_REASONS = ("requested_by_customer", "duplicate", "fraudulent")


def order_refund(*, order_id: str, amount: Decimal, reason: str, note: str, actor: str) -> RefundResult:
    """Refund `amount` of the order's payment. Raises OrderNotFound or the payments service's
    RefundNotAllowed / PaymentGatewayUnavailable (nothing changed then)."""
    with order_change_lock(order_id):
        if not Order.objects.filter(id=order_id).exists():
            raise OrderNotFound()
        result = refund(order_id=order_id, amount=amount, reason=reason)
        with transaction.atomic():
            order = Order.objects.select_for_update().get(id=order_id)
            order_event_publish(order=order, event_type=ORDER_REFUNDED, refund_id=result.refund_id,
                                amount=str(result.amount), reason=reason, note=note, actor=actor)
            whole_order = result.amount == order.total  # payments never refunds more than was paid
            tax_reversal_record_later(transaction_reference=order.id,
                                      reversal_reference=f"{order.id}-{result.refund_id}",
                                      flat_amount=None if whole_order else result.amount)
        return result
