"""A shopper (or ops) cancels a paid order before anything ships: full refund (the items, their tax and the
shipping: the whole `total_charged`), stock back, `cancelled`.

The refund goes through the payments service first, outside any database transaction (no row
lock is held across the network call); the order change lock — the one fulfilment takes — keeps
a merchant from shipping in between. A refund that fails leaves the order paid and unchanged.
Once any parcel left (`partially_shipped` or later) the answer is `409 ORDER_ALREADY_SHIPPED`:
the shopper returns the items instead. The refund reverses the order's Stripe Tax transaction in full, when it
has one (the tax app queues it after commit).
"""
from django.db import transaction
from django.utils import timezone

from apps.inventory.public import StockLine, stock_release
from apps.payments.public import refund
from apps.tax.public import tax_reversal_record_later

from ..errors import OrderAlreadyShipped, OrderNotCancellable, OrderNotFound
from ..models import Order
from .fulfillment import order_change_lock
from .order_events import ORDER_CANCELLED, ORDER_REFUNDED, order_event_publish

SHIPPED_OR_LATER = (Order.Status.PARTIALLY_SHIPPED, Order.Status.SHIPPED, Order.Status.DELIVERED)
RETURNS_POINTER = {"returns_url": "/api/v1/returns"}


def order_cancel(*, order_id: str, actor: str) -> Order:
    """Cancel the paid, unshipped order `order_id` (a no-op for one already cancelled). `actor`
    ("shopper", "ops:<username>") goes into the event. Raises OrderAlreadyShipped,
    OrderNotCancellable or the payments service's refund errors."""
    with order_change_lock(order_id):
        order = Order.objects.filter(id=order_id).first()
        if order is None:
            raise OrderNotFound()
        if order.status == Order.Status.CANCELLED:
            return order
        if order.status in SHIPPED_OR_LATER or order.fulfillments.exists():
            raise OrderAlreadyShipped(extra=RETURNS_POINTER)
        if order.status != Order.Status.PAID:
            raise OrderNotCancellable(extra={"status": order.status})
        result = refund(order_id=order.id, amount=order.total, reason="requested_by_customer")
        return _order_cancelled_record(order_id=order.id, actor=actor, refund_id=result.refund_id,
                                       amount=str(result.amount))


@transaction.atomic
def _order_cancelled_record(*, order_id: str, actor: str, refund_id: str, amount: str) -> Order:
    order = Order.objects.select_for_update().get(id=order_id)
    order.status = Order.Status.CANCELLED
    order.save(update_fields=["status", "updated_at"])
    stock_release(lines=[StockLine(line.product_id, line.quantity) for line in order.lines.all()],
                  reference=order.id)
    order_event_publish(order=order, event_type=ORDER_CANCELLED, actor=actor, cancelled_at=timezone.now().isoformat())
    order_event_publish(order=order, event_type=ORDER_REFUNDED, refund_id=refund_id, amount=amount,
                        reason="order_cancelled")
    tax_reversal_record_later(transaction_reference=order.id, reversal_reference=f"{order.id}-{refund_id}")
    return order
