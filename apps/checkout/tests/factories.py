"""factory-boy factories. Catalog rows are built by model label ("catalog.Product"), so these
tests never import another app's models; stock goes through the inventory app's public API."""
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from apps.checkout.models import Cart, CartItem


class MerchantFactory(DjangoModelFactory):
    class Meta:
        model = "catalog.Merchant"
        django_get_or_create = ("slug",)

    slug = "demo"
    name = "Vantage Demo Store"


class CategoryFactory(DjangoModelFactory):
    class Meta:
        model = "catalog.Category"
        django_get_or_create = ("slug",)

    slug = "electronics"
    name = "Electronics"


class ProductFactory(DjangoModelFactory):
    class Meta:
        model = "catalog.Product"

    id = factory.Sequence(lambda n: f"prod_test_{n:04d}")
    sku = factory.Sequence(lambda n: f"TEST-{n:05d}")
    name = factory.Sequence(lambda n: f"Test product {n}")
    price = Decimal("10.00")
    merchant = factory.SubFactory(MerchantFactory)
    category = factory.SubFactory(CategoryFactory)


class CartFactory(DjangoModelFactory):
    class Meta:
        model = Cart


class CartItemFactory(DjangoModelFactory):
    class Meta:
        model = CartItem

    cart = factory.SubFactory(CartFactory)
    quantity = 1
