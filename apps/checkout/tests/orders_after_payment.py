"""Helpers of the order-after-payment tests: paid orders built directly, merchant tokens, events."""
from decimal import Decimal
from io import StringIO

from django.apps import apps as django_apps
from django.core.management import call_command
from django.utils import timezone

from apps.checkout.models import Order, OrderLine


def merchant_token(slug: str) -> str:
    out = StringIO()
    call_command("issue_token", "--merchant", slug, stdout=out)
    return out.getvalue().strip().split()[-1]


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def paid_order(lines, status=Order.Status.PAID, **fields) -> Order:
    """An order of `[(product, quantity), ...]` in `status` (paid by default), priced at the products' prices."""
    subtotal = sum((product.price * quantity for product, quantity in lines), Decimal("0.00"))
    now = timezone.now()
    order = Order.objects.create(
        email=fields.pop("email", "ann@example.com"), status=status, shipping_line1="1 Main St",
        shipping_city="Springfield", shipping_state="IL", shipping_zip="62704", shipping_country="US",
        subtotal=subtotal, total=subtotal, estimated_delivery=now, paid_at=now if status != "pending" else None,
        **fields)
    for product, quantity in lines:
        OrderLine.objects.create(order=order, product_id=product.id, sku=product.sku, name=product.name,
                                 quantity=quantity, unit_price=product.price, line_total=product.price * quantity)
    return order


def order_events(order_id: str) -> list[dict]:
    """Payloads on `orders.events` for the order, in outbox order (the events app owns the table)."""
    outbox = django_apps.get_model("events", "OutboxEvent")
    return [row.payload for row in outbox.objects.filter(topic="orders.events", key=order_id).order_by("id")]
