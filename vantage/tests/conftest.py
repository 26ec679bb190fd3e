"""A small shop for the API contract tests: one merchant with products, stock, thresholds, an alert
and a webhook endpoint; a cart; a delivered order really paid through the local Stripe server, with a
return; an experiment and analytics events; and the clients each kind of caller uses. Everything is
built on first use, so each operation's test creates only what its request needs."""
from datetime import timedelta
from decimal import Decimal
from functools import cached_property
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from apps.catalog.testing import MerchantFactory, ProductFactory
from apps.checkout.testing import CartFactory, CartItemFactory, OrderFactory, OrderLineFactory
from apps.core.testing import UserFactory
from apps.experiments.models import AnalyticsEvent
from apps.experiments.testing import ExperimentFactory
from apps.inventory.services import stock_set
from apps.inventory.services.stock_check import stock_check_run
from apps.inventory.services.thresholds import ThresholdSpecInput, threshold_create
from apps.inventory.services.velocity import sales_velocity_recalculate
from apps.inventory.services.webhooks import webhook_endpoint_save
from apps.inventory.testing import sales_history
from apps.payments.public import ChargeRequest, charge

SERVICE_TOKEN = "svc_tok_contract_tests"
FUNNEL = ("checkout_started", "shipping_completed", "payment_completed", "order_confirmed")
ADDRESS = {"line1": "742 Evergreen Terrace", "line2": "", "city": "Springfield", "state": "IL", "zip": "62704",
           "country": "US"}


class Shop:
    def __init__(self, client: Client):
        self.anonymous = client

    @cached_property
    def merchant(self):
        return MerchantFactory(slug="demo", name="Vantage Demo Store")

    def product(self, price: str = "47.99", stock: int = 100):
        product = ProductFactory(merchant=self.merchant, price=Decimal(price))
        stock_set(product_id=product.id, quantity=stock)
        return product

    @cached_property
    def products(self) -> list:
        return [self.product("47.99"), self.product("129.50"), self.product("25.00")]

    @cached_property
    def merchant_client(self) -> Client:
        out = StringIO()
        call_command("issue_token", "--merchant", self.merchant.slug, stdout=out, stderr=StringIO())
        return Client(headers={"Authorization": f"Bearer {out.getvalue().strip().splitlines()[-1]}"})

    @cached_property
    def service_client(self) -> Client:
        return Client(headers={"X-Service-Auth": f"Bearer {SERVICE_TOKEN}"})

    @cached_property
    def staff_client(self) -> Client:
        client = Client()
        client.force_login(UserFactory(is_staff=True))
        return client

    @cached_property
    def shopper_client(self) -> Client:
        client = Client()
        client.force_login(UserFactory())
        return client

    @cached_property
    def threshold(self):
        """An absolute threshold above the product's stock, and the alert the stock check raises for it."""
        product = self.product("47.99", stock=10)
        today = timezone.now().date()
        sales_history(product.id, total_units=90, today=today)
        sales_velocity_recalculate(today=today)
        threshold = threshold_create(product_id=product.id, merchant_scope=self.merchant.pk, spec=ThresholdSpecInput(
            "absolute", threshold_value=50, alert_channels=["kafka"]))
        stock_check_run()
        return threshold

    @cached_property
    def webhook_endpoint(self):
        return webhook_endpoint_save(merchant_id=self.merchant.pk, url="https://merchant.example.com/hooks",
                                     secret="whsec_contract_tests_0123456789")

    @cached_property
    def cart(self):
        cart = CartFactory()
        CartItemFactory(cart=cart, product_id=self.products[0].id, quantity=2)
        CartItemFactory(cart=cart, product_id=self.products[1].id, quantity=1)
        return cart

    @cached_property
    def order(self):
        """Delivered two days ago and really charged (47.99 × 2 + 25.00) through the local Stripe server."""
        lines = [(self.products[0], 2), (self.products[2], 1)]
        total = sum((product.price * quantity for product, quantity in lines), Decimal("0.00"))
        order = OrderFactory(subtotal=total, total=total, delivered_at=timezone.now() - timedelta(days=2))
        for product, quantity in lines:
            OrderLineFactory(order=order, product_id=product.id, sku=product.sku, name=product.name,
                             quantity=quantity, unit_price=product.price)
        charge(ChargeRequest(order_id=order.id, amount=order.total, currency="USD", payment_method_id="pm_card_visa",
                             confirmation_token=order.confirmation_token, customer_email=order.email))
        return order

    @cached_property
    def guest(self) -> dict:
        return {"email": self.order.email, "confirmation_token": self.order.confirmation_token}

    @cached_property
    def return_id(self) -> str:
        response = self.anonymous.post("/api/v1/returns", {"order_id": self.order.id, **self.guest},
                                       content_type="application/json")
        assert response.status_code == 201, response.content
        return response.json()["return_id"]

    @cached_property
    def experiment(self):
        return ExperimentFactory()

    def record_journeys(self, experiment=None) -> None:
        """Two guest checkouts of the last hour, both by card: one ordered (129.50), one left at shipping;
        with an experiment, the first is in its control arm and the second in `variant_b`."""
        now = timezone.now()
        journeys = (("sess-a", 4, "control"), ("sess-b", 2, "variant_b"))
        AnalyticsEvent.objects.bulk_create([
            AnalyticsEvent(
                occurred_at=now - timedelta(minutes=30 - step), event=event, unit_id=f"session:{unit}",
                session_id=unit, context={"session_id": unit, "region": "us-east", "device": "mobile"},
                properties={"payment_method": "card", **({"amount": "129.50"} if event == "order_confirmed" else {})},
                experiments={experiment.experiment_id: variant} if experiment else {})
            for unit, steps, variant in journeys for step, event in enumerate(FUNNEL[:steps])])


@pytest.fixture
def shop(client, settings, tmp_path, local_stripe, shipping_rates):
    """(`shipping_rates`: the demo shop's rates; without any, every address is undeliverable.)"""
    settings.SERVICE_AUTH_TOKENS = [SERVICE_TOKEN]
    settings.SELF_SERVICE_RETURNS_ENABLED = True
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.LABEL_PROVIDER = "local_pdf"
    return Shop(client)
