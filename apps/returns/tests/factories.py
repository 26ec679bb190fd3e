"""factory-boy factories. Checkout rows are built by model label ("checkout.Order"), so these
tests never import another app's models."""
from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory


class OrderFactory(DjangoModelFactory):
    class Meta:
        model = "checkout.Order"

    id = factory.Sequence(lambda n: f"ord_rt{n:010d}")
    confirmation_token = factory.Sequence(lambda n: f"cnf_rt{n:010d}")
    status = "delivered"
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


class OrderLineFactory(DjangoModelFactory):
    class Meta:
        model = "checkout.OrderLine"

    product_id = factory.Sequence(lambda n: f"prod_rt{n:04d}")
    sku = factory.Sequence(lambda n: f"RT-{n:05d}")
    name = factory.Sequence(lambda n: f"Returnable thing {n}")
    quantity = 1
    unit_price = Decimal("10.00")
    line_total = factory.LazyAttribute(lambda line: line.unit_price * line.quantity)


class MerchantFactory(DjangoModelFactory):
    class Meta:
        model = "catalog.Merchant"
        django_get_or_create = ("slug",)

    slug = "demo"
    name = factory.LazyAttribute(lambda merchant: merchant.slug.title())


class CategoryFactory(DjangoModelFactory):
    class Meta:
        model = "catalog.Category"
        django_get_or_create = ("slug",)

    slug = "general-merchandise"
    name = "General merchandise"


class ProductFactory(DjangoModelFactory):
    class Meta:
        model = "catalog.Product"

    id = factory.Sequence(lambda n: f"prod_rtm{n:04d}")
    sku = factory.Sequence(lambda n: f"RTM-{n:05d}")
    name = factory.Sequence(lambda n: f"Merchant product {n}")
    price = Decimal("10.00")
    merchant = factory.SubFactory(MerchantFactory)
    category = factory.SubFactory(CategoryFactory)
