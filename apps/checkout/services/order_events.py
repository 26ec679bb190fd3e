"""The order's life on `orders.events`: one payload shape for every event type, keyed by order id.

Written to the outbox in the caller's transaction (so a status change and its event commit
together); the events app adds `event_id` and `occurred_at` and relays it to Kafka. The events a
shopper hears about also queue their email (`EMAIL_FOR_EVENT`), in the same transaction.
"""
from apps.events.public import ORDERS_EVENTS, publish

from ..models import Order
from . import emails

ORDER_PAID = "order_paid"
ORDER_FULFILLMENT_CREATED = "order_fulfillment_created"
ORDER_SHIPPED = "order_shipped"
ORDER_DELIVERED = "order_delivered"
ORDER_CANCELLED = "order_cancelled"
ORDER_REFUNDED = "order_refunded"

EMAIL_FOR_EVENT = {
    ORDER_PAID: emails.ORDER_CONFIRMATION,
    ORDER_FULFILLMENT_CREATED: emails.ORDER_SHIPPED,   # one email per parcel, with its tracking link
    ORDER_DELIVERED: emails.ORDER_DELIVERED,
    ORDER_CANCELLED: emails.ORDER_CANCELLED,
    ORDER_REFUNDED: emails.REFUND_ISSUED,
}


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
    event_id = publish(ORDERS_EVENTS, key=order.id, payload=payload)
    template = EMAIL_FOR_EVENT.get(event_type)
    if template and not order.is_test:
        emails.order_email_queue(order=order, template=template, context={
            key: details[key] for key in ("fulfillment_id", "amount", "refund_id") if key in details})
    return event_id


def order_refunded_record(*, order_id: str, refund_id: str, amount: str, reason: str) -> str | None:
    """Publish `order_refunded` for a refund made elsewhere (a received return); None for an unknown order."""
    order = Order.objects.filter(id=order_id).first()
    if order is None:
        return None
    return order_event_publish(order=order, event_type=ORDER_REFUNDED, refund_id=refund_id, amount=amount,
                               reason=reason)
