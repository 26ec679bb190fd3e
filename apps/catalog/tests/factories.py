"""factory-boy factories for catalog objects."""
from decimal import Decimal

import factory

from apps.catalog.models import Category, Merchant, Product, Supplier


class MerchantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Merchant
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"merchant-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.title())


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    slug = "general-merchandise"
    name = "General merchandise"


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplier
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Supplier {n}")
    typical_lead_time_days = 7


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    name = factory.Sequence(lambda n: f"Product {n}")
    price = Decimal("19.99")
    category = factory.SubFactory(CategoryFactory)
    merchant = factory.SubFactory(MerchantFactory)
    supplier = factory.SubFactory(SupplierFactory)
