"""Test support of the catalog app (registered as a pytest plugin in the root conftest.py):
factories for its models, merchant API tokens, and the seeds' two merchants as fixtures.

Other apps' tests import these; product code never does (import-linter forbids it).
"""
from decimal import Decimal

import factory
import pytest
from rest_framework.test import APIClient

from apps.core.testing import UserFactory

from .models import Category, Merchant, MerchantMembership, Product, Supplier
from .services import merchant_api_token_issue


class MerchantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Merchant
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"merchant-{n}")
    name = factory.LazyAttribute(lambda merchant: merchant.slug.title())


class MerchantMembershipFactory(factory.django.DjangoModelFactory):
    """A portal user of a merchant."""

    class Meta:
        model = MerchantMembership

    user = factory.SubFactory(UserFactory)
    merchant = factory.SubFactory(MerchantFactory)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    slug = "general-merchandise"
    name = factory.LazyAttribute(lambda category: category.slug.replace("-", " ").capitalize())


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplier
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Supplier {n}")
    typical_lead_time_days = 7


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    id = factory.Sequence(lambda n: f"prod_test_{n:05d}")
    sku = factory.Sequence(lambda n: f"TEST-{n:05d}")
    name = factory.Sequence(lambda n: f"Test product {n}")
    price = Decimal("10.00")
    category = factory.SubFactory(CategoryFactory)
    merchant = factory.SubFactory(MerchantFactory)
    supplier = factory.SubFactory(SupplierFactory)


def product_batch(count: int, **fields) -> list[Product]:
    """`count` products written in one INSERT (no supplier), for tests that need a large catalog."""
    return Product.objects.bulk_create(ProductFactory.build_batch(count, supplier=None, **fields))


def merchant_token(merchant: Merchant) -> str:
    """A new Bearer token of `merchant` (what `manage.py issue_token` prints)."""
    return merchant_api_token_issue(merchant=merchant, label="test")


def merchant_api_client(merchant: Merchant) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {merchant_token(merchant)}")
    return client


@pytest.fixture
def merchant(db) -> Merchant:
    return MerchantFactory(slug="demo", name="Vantage Demo Store")


@pytest.fixture
def other_merchant(db) -> Merchant:
    return MerchantFactory(slug="acme", name="Acme Outlet")


@pytest.fixture
def merchant_api(merchant) -> APIClient:
    return merchant_api_client(merchant)


@pytest.fixture
def other_merchant_api(other_merchant) -> APIClient:
    return merchant_api_client(other_merchant)
