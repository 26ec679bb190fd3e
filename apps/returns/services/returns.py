"""Creating, cancelling and progressing returns."""
import logging
from collections.abc import Collection

from django.db import transaction
from django.utils import timezone

from apps.catalog.public import product_info_many
from apps.checkout.public import OrderInfo
from apps.core.errors import FieldError, ValidationFailed
from apps.core.locks import advisory_lock
from apps.inventory.public import StockLine, stock_return
from apps.returns.errors import LabelProviderError, RefundFailed, ReturnNotCancellable
from apps.returns.models import Return, ReturnItem, ReturnReason, ReturnStatus

from .eligibility import RequestedItem, items_accept, returnable_quantities
from .labels import label_retry_queue, label_void, return_label_create
from .lifecycle import Actor, return_created_record, return_lock, return_transition
from .refunds import return_refund

logger = logging.getLogger(__name__)

CANCELLABLE = (ReturnStatus.REQUESTED, ReturnStatus.LABEL_CREATED, ReturnStatus.LABEL_FAILED)


@transaction.atomic
def return_create(*, order: OrderInfo, items: list[RequestedItem], actor: Actor,
                  user_id: int | None = None) -> Return:
    """Record a return in `requested` (validated against the order); the label comes after commit."""
    advisory_lock(f"returns:order:{order.order_id}")  # two requests cannot both take the last unit
    accepted = items_accept(order, items, now=timezone.now())
    ret = Return.objects.create(
        order_id=order.order_id, email=order.email, user_id=user_id, is_test=order.is_test, currency=order.currency,
        refund_estimate=sum((item.refund_amount for item in accepted), start=0),
    )
    products = product_info_many(product_ids=[item.line.product_id for item in accepted])
    merchants = {product_id: product.merchant_id for product_id, product in products.items()}
    ReturnItem.objects.bulk_create([
        ReturnItem(ret=ret, order_line_id=item.line.line_id, product_id=item.line.product_id, name=item.line.name,
                   merchant_id=merchants.get(item.line.product_id),
                   quantity=item.quantity, unit_price=item.line.unit_price, refund_amount=item.refund_amount,
                   reason=item.reason, note=item.note)
        for item in accepted
    ])
    return_created_record(ret=ret, actor=actor)
    return ret


def return_request(*, order: OrderInfo, items: list[RequestedItem] | None, actor: Actor,
                   user_id: int | None = None, reason: str = ReturnReason.NO_LONGER_NEEDED) -> Return:
    """What a shopper's "start a return" does: create the return, then try to buy its label at once.

    `items=None` returns every unit of the order that can still be returned, all with `reason`.

    A provider failure is not the shopper's problem: the return stays `requested`, a background
    task retries the label a few times, and reconciliation makes the last attempt (and alerts ops
    if that fails too)."""
    if items is None:
        items = [RequestedItem(order_line_id=line_id, quantity=quantity, reason=reason)
                 for line_id, quantity in returnable_quantities(order).items() if quantity > 0]
    ret = return_create(order=order, items=items, actor=actor, user_id=user_id)
    try:
        return return_label_create(return_id=ret.id, actor=Actor.system("label_on_create"))
    except LabelProviderError:
        logger.warning("label purchase failed on create; retrying in the background", extra={"return_id": ret.id})
        label_retry_queue(return_id=ret.id)
        return Return.objects.get(pk=ret.id)


def return_cancel(*, return_id: str, actor: Actor, note: str = "cancelled by the shopper") -> Return:
    with transaction.atomic():
        ret = return_lock(return_id)
        if ret.status == ReturnStatus.CANCELLED:
            return ret
        if ret.status not in CANCELLABLE:
            raise ReturnNotCancellable(extra={"status": ret.status})
        return_transition(ret=ret, to_status=ReturnStatus.CANCELLED, actor=actor, note=note)
    if ret.label_shipment_id:
        label_void(ret=ret)
    return ret


@transaction.atomic
def return_mark_in_transit(*, return_id: str, actor: Actor, note: str = "carrier scanned the package") -> Return:
    ret = return_lock(return_id)
    if ret.status == ReturnStatus.IN_TRANSIT:
        return ret
    return return_transition(ret=ret, to_status=ReturnStatus.IN_TRANSIT, actor=actor, note=note)


@transaction.atomic
def return_mark_received(*, return_id: str, actor: Actor, note: str = "received at the warehouse",
                         damaged_order_line_ids: Collection[str] = ()) -> Return:
    """Mark the return `received` and put its items back into stock (reason `return`), except the
    items of `damaged_order_line_ids`, which the warehouse found unsellable. Once only."""
    ret = return_lock(return_id)
    if ret.status in (ReturnStatus.RECEIVED, ReturnStatus.REFUNDED):
        return ret
    damaged = {str(line_id) for line_id in damaged_order_line_ids}
    unknown = damaged - {item.order_line_id for item in ret.items.all()}
    if unknown:
        raise ValidationFailed([FieldError("damaged_order_line_ids", "NOT_IN_RETURN",
                                           f"Lines {', '.join(sorted(unknown))} are not items of this return",
                                           "order line ids of this return's items")])
    restock = [StockLine(item.product_id, item.quantity) for item in ret.items.all()
               if item.order_line_id not in damaged]
    if restock:
        stock_return(lines=restock, reference=ret.id)
    if damaged:
        note = f"{note}; damaged, not restocked: lines {', '.join(sorted(damaged))}"
    return return_transition(ret=ret, to_status=ReturnStatus.RECEIVED, actor=actor, note=note)


def return_receive(*, return_id: str, actor: Actor, note: str = "received at the warehouse",
                   damaged_order_line_ids: Collection[str] = ()) -> Return:
    """The package is at the warehouse: mark the return `received` (restocking what is not
    damaged), then refund it. A refund that fails leaves it `received`; reconciliation lists it
    for ops after RETURN_REFUND_OVERDUE_HOURS."""
    return_mark_received(return_id=return_id, actor=actor, note=note, damaged_order_line_ids=damaged_order_line_ids)
    try:
        return return_refund(return_id=return_id, actor=Actor.system("refund_on_receipt"))
    except RefundFailed:
        logger.warning("refund on receipt failed; the return stays received", extra={"return_id": return_id})
        return Return.objects.get(pk=return_id)
