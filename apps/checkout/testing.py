"""Test support of the checkout app: factories for carts and orders (other apps' tests build orders
here, e.g. returns), and `send_queued_emails()`, what a worker does with the shop's queued emails."""
from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from .models import Cart, CartItem, EmailDelivery, Order, OrderLine


def send_queued_emails() -> list[EmailDelivery]:
    """Run the send task for every queued email, oldest first, as a Celery worker would after commit
    (tests never run a worker); returns every delivery, oldest first."""
    from .tasks import send_email

    for delivery_id in EmailDelivery.objects.filter(status="queued").order_by("pk").values_list("pk", flat=True):
        send_email(delivery_id)
    return list(EmailDelivery.objects.order_by("pk"))


class CartFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cart


class CartItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CartItem

    cart = factory.SubFactory(CartFactory)
    product_id = factory.Sequence(lambda n: f"prod_item{n:04d}")
    quantity = 1


class OrderFactory(factory.django.DjangoModelFactory):
    """A delivered order (shipped five days ago, delivered three days ago), with no lines."""

    class Meta:
        model = Order

    id = factory.Sequence(lambda n: f"ord_test{n:010d}")
    confirmation_token = factory.Sequence(lambda n: f"cnf_test{n:010d}")
    status = Order.Status.DELIVERED
    email = factory.Sequence(lambda n: f"shopper{n}@example.com")
    shipping_line1 = "1 Main St"
    shipping_city = "Springfield"
    shipping_state = "IL"
    shipping_zip = "62704"
    shipping_country = "US"
    subtotal = Decimal("0.00")
    total = Decimal("0.00")
    estimated_delivery = factory.LazyFunction(timezone.now)
    shipped_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=5))
    delivered_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=3))


class OrderLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderLine

    order = factory.SubFactory(OrderFactory)
    product_id = factory.Sequence(lambda n: f"prod_line{n:04d}")
    sku = factory.Sequence(lambda n: f"LINE-{n:05d}")
    name = factory.Sequence(lambda n: f"Ordered thing {n}")
    quantity = 1
    unit_price = Decimal("10.00")
    line_total = factory.LazyAttribute(lambda line: line.unit_price * line.quantity)


class GuestCheckoutCaller:
    """`POST /api/v2/checkout/guest` as a real client sends it: after the first answer, with the guest session
    that answer created (its id in the body, its `X-Guest-Session-Token` as the bearer), which is what proves a
    resent request (after 3-D Secure, or a gateway failure under a new key) is the same shopper's."""

    def __init__(self, client, body: dict):
        self.client, self.body, self.session = client, body, {}

    def __call__(self, key: str = "", *, headers: dict | None = None, **overrides):
        sent = {**({"Idempotency-Key": key} if key else {}), **(headers or {})}
        body = dict(self.body)
        if self.session:
            sent.setdefault("Authorization", f"Bearer {self.session['token']}")
            body["session_id"] = self.session["id"]
        response = self.client.post("/api/v2/checkout/guest", {**body, **overrides}, content_type="application/json",
                                    headers=sent)
        if response.headers.get("X-Guest-Session-Token"):
            self.session = {"id": response.json()["session_id"], "token": response.headers["X-Guest-Session-Token"]}
        return response
