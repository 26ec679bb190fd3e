"""Demo data of the checkout app (idempotent): the smoke-test order the returns deploy checks use
(`ord_smoke_test`, delivered, `is_test`), plus two open carts to try the API and pages with."""
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from apps.catalog.public import product_info_many
from apps.core.money import to_money

from .models import Cart, CartItem, Order, OrderLine

SMOKE_ORDER_ID = "ord_smoke_test"
SMOKE_ADDRESS = {"shipping_line1": "742 Evergreen Terrace", "shipping_city": "Springfield", "shipping_state": "IL",
                 "shipping_zip": "62704", "shipping_country": "US"}
DEMO_CARTS = {"cart_demo_monitor": [("prod_monitor_32in", 1), ("prod_cable_usbc", 2)],
              "cart_demo_headphones": [("prod_headphones_nc", 1)]}


@transaction.atomic
def seed(stdout) -> None:
    products = product_info_many(product_ids=["prod_cable_usbc", "prod_monitor_32in", "prod_headphones_nc"])
    cable = products.get("prod_cable_usbc")
    if cable is None:
        stdout.write("checkout: catalog demo products missing; run the catalog seed first")
        return
    now = timezone.now()
    price = to_money(cable.price)
    order, _ = Order.objects.update_or_create(id=SMOKE_ORDER_ID, defaults={
        "confirmation_token": "cnf_smoke_test", "status": Order.Status.DELIVERED, "is_test": True,
        "email": "smoke-test@vantage.example", "currency": "USD", "subtotal": price * 2, "total": price * 2,
        "shipping_total": Decimal("0.00"), "estimated_delivery": now - timedelta(days=3),
        "payment_method_id": "pm_card_visa", "payment_method_type": "card", "payment_method_label": "Visa •••• 4242",
        "paid_at": now - timedelta(days=7), "shipped_at": now - timedelta(days=6),
        "delivered_at": now - timedelta(days=3),
        **SMOKE_ADDRESS,
    })
    OrderLine.objects.update_or_create(order=order, product_id=cable.product_id, defaults={
        "sku": cable.sku, "name": cable.name, "quantity": 2, "unit_price": price, "line_total": price * 2})
    for cart_id, lines in DEMO_CARTS.items():
        cart, _ = Cart.objects.update_or_create(id=cart_id, defaults={
            "status": Cart.Status.OPEN, "expires_at": now + timedelta(days=30)})
        for product_id, quantity in lines:
            if product_id in products:
                CartItem.objects.update_or_create(cart=cart, product_id=product_id, defaults={"quantity": quantity})
    stdout.write(f"checkout: order {SMOKE_ORDER_ID} (delivered, test), {len(DEMO_CARTS)} demo carts")
