"""Whether an order can be returned, and how much of each line.

An order is returnable once something of it shipped (partially shipped, shipped or delivered) and
while inside the return window (RETURN_WINDOW_DAYS after delivery, or after shipping while not yet
delivered, or after the order while it is partially shipped). A line can be returned up to the units
that shipped minus what live returns already hold: units still waiting to ship cannot be returned
(`ORDER_LINE_NOT_SHIPPED`), they become returnable once they ship. All problems are reported at once
as 422 field errors. Test orders (`is_test`, the deploy smoke test's) have no
window and do not count earlier returns, so the smoke test can run on every deploy.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings

from apps.checkout.public import OrderInfo, OrderLineInfo
from apps.core.errors import FieldError, ValidationFailed
from apps.core.money import to_money
from apps.returns.models import ReturnReason
from apps.returns.selectors import refund_committed_total, returned_quantities

RETURNABLE_ORDER_STATUSES = ("partially_shipped", "shipped", "delivered")


@dataclass(frozen=True)
class RequestedItem:
    order_line_id: str
    quantity: int
    reason: str
    note: str = ""


@dataclass(frozen=True)
class AcceptedItem:
    line: OrderLineInfo
    quantity: int
    reason: str
    note: str
    refund_amount: Decimal


def return_window_ends(order: OrderInfo) -> datetime:
    started = order.delivered_at or order.shipped_at or order.created_at
    return started + timedelta(days=settings.RETURN_WINDOW_DAYS)


def order_returnable_errors(order: OrderInfo, *, now: datetime) -> list[FieldError]:
    if order.status not in RETURNABLE_ORDER_STATUSES:
        return [FieldError("order_id", "ORDER_NOT_RETURNABLE",
                           f"Order {order.order_id} is {order.status.replace('_', ' ')}; only items that shipped can "
                           "be returned.",
                           "order status partially_shipped, shipped or delivered")]
    if now > return_window_ends(order) and not order.is_test:
        return [FieldError("order_id", "RETURN_WINDOW_EXPIRED",
                           f"The {settings.RETURN_WINDOW_DAYS}-day return window for order {order.order_id} ended on "
                           f"{return_window_ends(order):%Y-%m-%d}.",
                           f"within {settings.RETURN_WINDOW_DAYS} days of delivery")]
    return []


def already_returned(order: OrderInfo) -> dict[str, int]:
    """Units per line in live returns. Test orders (the deploy smoke test) can be returned again and
    again: their earlier returns do not count, so the smoke test passes on every deploy."""
    return {} if order.is_test else returned_quantities(order_id=order.order_id)


def returnable_quantities(order: OrderInfo, already: dict[str, int] | None = None) -> dict[str, int]:
    """Units per line that can still be returned: those shipped, less those already in live returns."""
    already = already_returned(order) if already is None else already
    return {line.line_id: max(line.quantity_shipped - already.get(line.line_id, 0), 0) for line in order.lines}


def unshipped_quantities(order: OrderInfo) -> dict[str, int]:
    """Units of each line still waiting to ship (only lines with some), for the page to explain."""
    return {line.line_id: line.quantity - line.quantity_shipped for line in order.lines
            if line.quantity > line.quantity_shipped}


def line_refund(line: OrderLineInfo, *, quantity: int, already: int) -> Decimal:
    """The refund for `quantity` more units of a line of which `already` were returned: their price and
    their tax (what the shopper paid for them), never shipping. Shares are cumulative, so returning every
    unit, in one return or several, refunds exactly what the line was charged, to the cent."""
    def share(units: int) -> Decimal:
        return to_money(line.charged_total * units / line.quantity)

    return share(already + quantity) - share(already)


def items_accept(order: OrderInfo, items: list[RequestedItem], *, now: datetime) -> list[AcceptedItem]:
    """Validate a return request against the order (call under the order's advisory lock)."""
    errors = order_returnable_errors(order, now=now)
    if errors:
        raise ValidationFailed(errors)
    if not items:
        raise ValidationFailed([FieldError("items", "REQUIRED", "Pick at least one item to return.",
                                           "at least one item")])
    lines = {line.line_id: line for line in order.lines}
    already = already_returned(order)
    returnable = returnable_quantities(order, already)
    seen: set[str] = set()
    accepted: list[AcceptedItem] = []
    for index, item in enumerate(items):
        field = f"items.{index}"  # the same shape the core handler gives DRF's nested errors
        line = lines.get(item.order_line_id)
        if line is None:
            errors.append(FieldError(f"{field}.order_line_id", "UNKNOWN_ORDER_LINE",
                                     f"Order {order.order_id} has no line {item.order_line_id!r}.",
                                     "one of the order's line ids"))
            continue
        if item.order_line_id in seen:
            errors.append(FieldError(f"{field}.order_line_id", "DUPLICATE_LINE",
                                     "Each order line may appear once; add the quantities together.",
                                     "unique order_line_id"))
            continue
        seen.add(item.order_line_id)
        if item.reason not in ReturnReason.values:
            errors.append(FieldError(f"{field}.reason", "INVALID_CHOICE", f"{item.reason!r} is not a return reason.",
                                     "one of " + ", ".join(ReturnReason.values)))
        if item.quantity > returnable[line.line_id] and line.quantity_shipped == 0:
            errors.append(FieldError(f"{field}.quantity", "ORDER_LINE_NOT_SHIPPED",
                                     f"{line.name} has not shipped yet: it can be returned once it arrives.",
                                     "a line that shipped"))
            continue
        if item.quantity > returnable[line.line_id]:
            errors.append(FieldError(f"{field}.quantity", "QUANTITY_EXCEEDS_RETURNABLE",
                                     f"Only {returnable[line.line_id]} of {line.quantity} × {line.name} can still be "
                                     f"returned{_waiting(line)}.", f"<= {returnable[line.line_id]}"))
            continue
        accepted.append(AcceptedItem(line=line, quantity=item.quantity, reason=item.reason, note=item.note,
                                     refund_amount=line_refund(line, quantity=item.quantity,
                                                               already=already.get(line.line_id, 0))))
    if errors:
        raise ValidationFailed(errors)
    return _cap_to_paid(order, accepted)


def _waiting(line: OrderLineInfo) -> str:
    unshipped = line.quantity - line.quantity_shipped
    return f" ({unshipped} not shipped yet)" if unshipped else ""


def _cap_to_paid(order: OrderInfo, items: list[AcceptedItem]) -> list[AcceptedItem]:
    """Never promise more than the order paid minus what its other returns already take."""
    committed = Decimal("0.00") if order.is_test else refund_committed_total(order_id=order.order_id)
    remaining = max(to_money(order.total) - committed, Decimal("0.00"))
    capped = []
    for item in items:
        amount = min(item.refund_amount, remaining)
        remaining -= amount
        capped.append(AcceptedItem(line=item.line, quantity=item.quantity, reason=item.reason, note=item.note,
                                   refund_amount=amount))
    return capped


def order_return_path(order: OrderInfo, *, now: datetime) -> str | None:
    """The page that starts a return for the order, or None when it cannot be returned now."""
    from django.urls import reverse

    if order_returnable_errors(order, now=now) or not any(returnable_quantities(order).values()):
        return None
    return reverse("returns:order", kwargs={"order_id": order.order_id})
