"""Ops refund (part of) an order from the admin, through the payments service.

The payments service refuses anything above what is still refundable; the refund is announced on
`orders.events` (`order_refunded`, with who did it and why), which also emails the shopper.
"""
from decimal import Decimal

from django.db import transaction

from apps.payments.public import RefundResult, refund

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
        return result
