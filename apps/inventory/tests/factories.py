"""factory-boy factories. Catalog rows are built by model label ("catalog.Product"), so the tests
need no import of the catalog's internals."""
from datetime import timedelta

import factory
from django.apps import apps

from apps.inventory.demo import daily_units
from apps.inventory.models import DailySales


class MerchantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "catalog.Merchant"
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"merchant-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.title())


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "catalog.Category"
        django_get_or_create = ("slug",)

    slug = "electronics"
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").capitalize())


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "catalog.Supplier"
        django_get_or_create = ("name",)

    name = "Northwind Electronics"
    typical_lead_time_days = 7


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "catalog.Product"

    id = factory.Sequence(lambda n: f"prod_test_{n:05d}")
    sku = factory.Sequence(lambda n: f"TEST-{n:05d}")
    name = factory.Sequence(lambda n: f"Test product {n}")
    price = "19.99"
    category = factory.SubFactory(CategoryFactory)
    merchant = factory.SubFactory(MerchantFactory, slug="demo")
    supplier = factory.SubFactory(SupplierFactory)


def product_model():
    return apps.get_model("catalog", "Product")


def sales_history(product_id: str, *, total_units: int, today, days: int = 30) -> None:
    """`total_units` sold over the `days` days before `today`, spread evenly (exact average)."""
    DailySales.objects.bulk_create([
        DailySales(product_id=product_id, day=today - timedelta(days=offset + 1), units=units)
        for offset, units in enumerate(daily_units(total_units, days))
    ])
