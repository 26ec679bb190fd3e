"""The checkout app's interface for other apps (functions and dataclasses only).

Returns, support tools and reports read orders through here: `order_get(order_id=...)` or
`order_get_by_confirmation(confirmation_token=...)` → `OrderInfo` (or None).
The returns app also uses `order_guest_verify(...)` (a guest's proof of an order),
`orders_for_email(...)` (a signed-in shopper's orders) and `order_refunded_record(...)` (announces
a return's refund on `orders.events`); its EasyPost webhook hands tracking updates that are not
return labels to `fulfillment_tracking_update(...)`.

Shopper emails have one pipeline, here: `shopper_email_queue(to=..., template=..., order_id=..., context=...)`
records the email (`EmailDelivery`, listed in the admin) in the caller's transaction and a Celery task
sends it after commit, from `templates/emails/<template>.*` — the returns app's "label ready" email and
the accounts app's allauth emails (verification, password reset) use it.
"""
import hmac
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from . import selectors
from .models import Order
from .services.emails import (
    ACCOUNT_ALREADY_EXISTS,
    ACCOUNT_EMAIL_CONFIRMATION,
    ACCOUNT_NOTICE,
    ACCOUNT_PASSWORD_RESET,
    ACCOUNT_UNKNOWN,
    RETURN_LABEL_READY,
    email_queue,
)
from .services.fulfillment import fulfillment_tracking_update
from .services.order_events import order_refunded_record

ORDER_STATUSES = tuple(Order.Status.values)


@dataclass(frozen=True)
class OrderLineInfo:
    product_id: str
    sku: str
    name: str
    quantity: int
    unit_price: Decimal
    line_total: Decimal
    line_id: str = ""           # the order line's id (return items refer to it)
    quantity_shipped: int = 0   # units that left in a parcel (all of them once the order is shipped)
    tax_amount: Decimal = Decimal("0.00")   # the line's tax (included in line_total where prices include tax)
    tax_rate: Decimal = Decimal("0")
    charged_total: Decimal = Decimal("0.00")  # what the shopper paid for the line, its tax included


@dataclass(frozen=True)
class OrderInfo:
    order_id: str
    confirmation_token: str
    status: str                 # one of ORDER_STATUSES
    email: str
    is_test: bool
    currency: str
    subtotal: Decimal
    total: Decimal
    shipping_address: dict      # line1, line2, city, state, zip, country
    payment_method_type: str    # "card" | "apple_pay"
    payment_method_label: str   # "Visa •••• 4242"
    payment_intent_id: str
    created_at: datetime
    paid_at: datetime | None
    delivered_at: datetime | None
    lines: tuple[OrderLineInfo, ...]
    shipping_total: Decimal = Decimal("0.00")
    shipped_at: datetime | None = None
    tax_total: Decimal = Decimal("0.00")    # total = subtotal + shipping_total + tax_total
    prices_include_tax: bool = False
    shipping_method_name: str = ""


def _info(order: Order | None) -> OrderInfo | None:
    if order is None:
        return None
    lines = tuple(OrderLineInfo(product_id=line.product_id, sku=line.sku, name=line.name, quantity=line.quantity,
                                unit_price=line.unit_price, line_total=line.line_total, line_id=str(line.pk),
                                quantity_shipped=selectors.line_quantity_shipped(order=order, line=line),
                                tax_amount=line.tax_amount, tax_rate=line.tax_rate, charged_total=line.charged_total)
                  for line in order.lines.all())
    return OrderInfo(
        order_id=order.id, confirmation_token=order.confirmation_token, status=order.status, email=order.email,
        is_test=order.is_test, currency=order.currency, subtotal=order.subtotal, total=order.total,
        shipping_address=order.shipping_address, payment_method_type=order.payment_method_type,
        payment_method_label=order.payment_method_label, payment_intent_id=order.payment_intent_id,
        created_at=order.created_at, paid_at=order.paid_at, delivered_at=order.delivered_at, lines=lines,
        shipping_total=order.shipping_total, shipped_at=order.shipped_at, tax_total=order.tax_total,
        prices_include_tax=order.prices_include_tax, shipping_method_name=order.shipping_method_name,
    )


def order_get(*, order_id: str) -> OrderInfo | None:
    return _info(selectors.orders_with_lines(Order.objects.filter(id=order_id)).first())


def order_get_by_confirmation(*, confirmation_token: str) -> OrderInfo | None:
    return _info(selectors.orders_with_lines(Order.objects.filter(confirmation_token=confirmation_token)).first())


def order_guest_verify(*, order_id: str, email: str, confirmation_token: str) -> bool:
    """True when both the email (case-insensitive) and the confirmation token match the order."""
    order = selectors.order_get(order_id=order_id)
    if order is None or not email or not confirmation_token:
        return False
    return (order.email.lower() == email.strip().lower()
            and hmac.compare_digest(order.confirmation_token.encode(), confirmation_token.encode()))


def orders_for_email(*, email: str, limit: int = 50) -> list[OrderInfo]:
    """A signed-in shopper's recent orders (placed with the account's email), newest first. Pass only an
    email the shopper proved (`apps.accounts.public.verified_email`); "" matches nothing."""
    if not email:
        return []
    orders = selectors.orders_with_lines(Order.objects.filter(email__iexact=email)).order_by("-created_at")[:limit]
    return [_info(order) for order in orders]


def shopper_email_queue(*, to: str, template: str, order_id: str | None = None, context: dict | None = None) -> None:
    """Queue one of the shop's emails (RETURN_LABEL_READY, ACCOUNT_*) to `to`, about `order_id` when it
    is an order's; `context` is what the template shows beyond the order (JSON-safe values)."""
    order = selectors.order_get(order_id=order_id) if order_id else None
    if order_id and order is None:
        raise ValueError(f"No order {order_id!r} to email about")
    email_queue(to=to, template=template, order=order, context=context)


__all__ = ["shopper_email_queue", "RETURN_LABEL_READY", "ACCOUNT_ALREADY_EXISTS", "ACCOUNT_EMAIL_CONFIRMATION",
           "ACCOUNT_NOTICE", "ACCOUNT_PASSWORD_RESET", "ACCOUNT_UNKNOWN",
           "ORDER_STATUSES", "OrderInfo", "OrderLineInfo", "order_get", "order_get_by_confirmation",
           "order_guest_verify", "order_refunded_record", "orders_for_email", "fulfillment_tracking_update"]
