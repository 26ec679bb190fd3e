"""The order's life on `orders.events`: one payload shape for every event type, keyed by order id.

Written to the outbox in the caller's transaction (so a status change and its event commit
together); the events app adds `event_id` and `occurred_at` and relays it to Kafka.
"""
from apps.events.public import ORDERS_EVENTS, publish

from ..models import Order

ORDER_PAID = "order_paid"
ORDER_FULFILLMENT_CREATED = "order_fulfillment_created"
ORDER_SHIPPED = "order_shipped"
ORDER_DELIVERED = "order_delivered"
ORDER_CANCELLED = "order_cancelled"
ORDER_REFUNDED = "order_refunded"


def order_event_publish(*, order: Order, event_type: str, **details) -> str:
    """Publish `event_type` for `order` with its current status and totals plus `details`
    (money as strings, like every event on the bus); returns the event id."""
    payload = {
        "event_type": event_type,
        "order_id": order.id,
        "status": order.status,
        "currency": order.currency,
        "total": str(order.total),
        "is_test": order.is_test,
        **details,
    }
    return publish(ORDERS_EVENTS, key=order.id, payload=payload)


def order_refunded_record(*, order_id: str, refund_id: str, amount: str, reason: str) -> str | None:
    """Publish `order_refunded` for a refund made elsewhere (a received return); None for an unknown order."""
    order = Order.objects.filter(id=order_id).first()
    if order is None:
        return None
    return order_event_publish(order=order, event_type=ORDER_REFUNDED, refund_id=refund_id, amount=amount,
                               reason=reason)
