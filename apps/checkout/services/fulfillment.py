"""Merchants fulfil their own lines of a paid order; the order follows.

`fulfillment_create` records a parcel (lines and quantities, carrier, tracking number) and moves
the order to `partially_shipped`, or `shipped` once every unit of every line is in a parcel;
`fulfillment_mark_delivered` moves it to `delivered` once every parcel arrived. `shipped_at` and
`delivered_at` are set once. Each step publishes its `orders.events` event in the same transaction.

A merchant only ever sees its own lines: another merchant's line, or an order without any of the
caller's lines, answers 404 exactly like a line or order that does not exist. Changes to one order
run one at a time (the Redis lock shared with cancellation, then the row lock).
"""
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from apps.catalog.public import merchant_product_ids
from apps.core.errors import FieldError, ValidationFailed
from apps.core.locks import LockUnavailable, redis_lock

from ..errors import FulfillmentNotFound, OrderBusy, OrderLineNotFound, OrderNotFound, OrderNotFulfillable
from ..models import Fulfillment, FulfillmentLine, Order, OrderLine
from .order_events import ORDER_DELIVERED, ORDER_FULFILLMENT_CREATED, ORDER_SHIPPED, order_event_publish
from .tracking import fulfillment_tracker_queue

ORDER_LOCK_SECONDS = 60  # longer than a full refund through the payments service (cancellation)
FULFILLABLE = (Order.Status.PAID, Order.Status.PARTIALLY_SHIPPED)


@dataclass(frozen=True)
class FulfillmentLineInput:
    order_line_id: int
    quantity: int


@contextmanager
def order_change_lock(order_id: str) -> Iterator[None]:
    """One change of an order at a time (fulfilment, delivery, cancellation)."""
    try:
        with redis_lock(f"checkout:order-change:{order_id}", ttl=ORDER_LOCK_SECONDS):
            yield
    except LockUnavailable:
        raise OrderBusy() from None


def merchant_lines(*, order: Order, merchant_id: int | None) -> list[OrderLine]:
    """The order's lines of the merchant's products (every line for ops, `merchant_id=None`)."""
    lines = order.lines.all()
    if merchant_id is not None:
        lines = lines.filter(product_id__in=merchant_product_ids(merchant_id=merchant_id))
    return list(lines)


def fulfilled_quantities(*, order: Order) -> dict[int, int]:
    rows = (FulfillmentLine.objects.filter(order_line__order=order).values("order_line_id")
            .annotate(units=Sum("quantity")).values_list("order_line_id", "units"))
    return dict(rows)


def _order_for_merchant(*, order_id: str, merchant_id: int | None, for_update: bool = False) -> Order:
    orders = Order.objects.select_for_update() if for_update else Order.objects
    order = orders.filter(id=order_id).first()
    if order is None or not merchant_lines(order=order, merchant_id=merchant_id):
        raise OrderNotFound()
    return order


def fulfillment_create(*, order_id: str, merchant_id: int | None, lines: list[FulfillmentLineInput], carrier: str,
                       tracking_number: str = "") -> Fulfillment:
    """Record a parcel of the merchant's lines. Raises OrderNotFound, OrderLineNotFound (not the
    merchant's line), OrderNotFulfillable (unpaid, cancelled, refunded) or ValidationFailed
    (`OVER_FULFILLMENT`: more units than are left to ship)."""
    with order_change_lock(order_id), transaction.atomic():
        order = _order_for_merchant(order_id=order_id, merchant_id=merchant_id, for_update=True)
        if order.status not in FULFILLABLE:
            raise OrderNotFulfillable(extra={"status": order.status})
        own = {line.pk: line for line in merchant_lines(order=order, merchant_id=merchant_id)}
        done = fulfilled_quantities(order=order)
        wanted: dict[int, int] = {}
        for item in lines:
            if item.order_line_id not in own:
                raise OrderLineNotFound(extra={"order_line_id": item.order_line_id})
            wanted[item.order_line_id] = wanted.get(item.order_line_id, 0) + item.quantity
        left = {line_id: own[line_id].quantity - done.get(line_id, 0) for line_id in wanted}
        errors = [
            FieldError(f"lines[{index}].quantity", "OVER_FULFILLMENT",
                       f"Line {item.order_line_id} has {left[item.order_line_id]} unit(s) left to ship",
                       "at most the line's quantity minus what was already fulfilled")
            for index, item in enumerate(lines) if left[item.order_line_id] < wanted[item.order_line_id]
        ]
        if errors:
            raise ValidationFailed(errors)
        fulfillment = Fulfillment.objects.create(order=order, merchant_id=merchant_id, carrier=carrier,
                                                 tracking_number=tracking_number)
        FulfillmentLine.objects.bulk_create([
            FulfillmentLine(fulfillment=fulfillment, order_line_id=line_id, quantity=quantity)
            for line_id, quantity in wanted.items()
        ])
        for line_id, quantity in wanted.items():
            done[line_id] = done.get(line_id, 0) + quantity
        _after_shipping(order=order, fulfillment=fulfillment, all_shipped=all(
            done.get(line.pk, 0) >= line.quantity for line in order.lines.all()))
        fulfillment_tracker_queue(fulfillment=fulfillment)
        return fulfillment


def _after_shipping(*, order: Order, fulfillment: Fulfillment, all_shipped: bool) -> None:
    now = timezone.now()
    order.status = Order.Status.SHIPPED if all_shipped else Order.Status.PARTIALLY_SHIPPED
    order.shipped_at = order.shipped_at or (now if all_shipped else None)
    order.save(update_fields=["status", "shipped_at", "updated_at"])
    order_event_publish(order=order, event_type=ORDER_FULFILLMENT_CREATED, **fulfillment_payload(fulfillment))
    if all_shipped:
        order_event_publish(order=order, event_type=ORDER_SHIPPED, shipped_at=order.shipped_at.isoformat())


def fulfillment_payload(fulfillment: Fulfillment) -> dict:
    return {
        "fulfillment_id": fulfillment.id, "merchant_id": fulfillment.merchant_id, "carrier": fulfillment.carrier,
        "tracking_number": fulfillment.tracking_number,
        "lines": [{"order_line_id": str(line.order_line_id), "quantity": line.quantity}
                  for line in fulfillment.lines.order_by("order_line_id")],
    }


def fulfillment_mark_delivered(*, order_id: str, fulfillment_id: str, merchant_id: int | None) -> Fulfillment:
    """The parcel arrived (a no-op the second time). The order becomes `delivered` when every unit
    shipped and every parcel arrived."""
    with order_change_lock(order_id), transaction.atomic():
        order = _order_for_merchant(order_id=order_id, merchant_id=merchant_id, for_update=True)
        parcels = order.fulfillments.select_for_update()
        if merchant_id is not None:
            parcels = parcels.filter(merchant_id=merchant_id)
        fulfillment = parcels.filter(id=fulfillment_id).first()
        if fulfillment is None:
            raise FulfillmentNotFound()
        if fulfillment.delivered_at is not None:
            return fulfillment
        now = timezone.now()
        fulfillment.delivered_at = now
        fulfillment.save(update_fields=["delivered_at"])
        if order.status == Order.Status.SHIPPED and not order.fulfillments.filter(delivered_at__isnull=True).exists():
            order.status = Order.Status.DELIVERED
            order.delivered_at = order.delivered_at or now
            order.save(update_fields=["status", "delivered_at", "updated_at"])
            order_event_publish(order=order, event_type=ORDER_DELIVERED, delivered_at=order.delivered_at.isoformat(),
                                fulfillment_id=fulfillment.id)
        return fulfillment


def fulfillment_tracking_update(*, tracking_code: str, carrier_status: str) -> bool:
    """A carrier's update (EasyPost webhook): `delivered` marks the parcel delivered. Returns whether
    the code names one of our parcels; repeated or unknown updates change nothing (carriers resend)."""
    parcel = Fulfillment.objects.filter(tracking_number=tracking_code).first() if tracking_code else None
    if parcel is None:
        return False
    if carrier_status == "delivered":
        fulfillment_mark_delivered(order_id=parcel.order_id, fulfillment_id=parcel.id, merchant_id=None)
    return True
