"""Test support of the shipping app: factories for zones, methods and bands, and `shipping_rates`, a fixture
loading the demo rates (US Standard/Express, Alaska & Hawaii, International) for other apps' tests.

Other apps' tests import these (or list this module in their conftest's `pytest_plugins`); product code never
does (import-linter forbids it).
"""
from decimal import Decimal
from io import StringIO

import factory
import pytest

from .demo import seed
from .models import ShippingMethod, ShippingRateBand, ShippingZone


class ShippingZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShippingZone
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Zone {n}")
    countries = factory.LazyFunction(lambda: ["US"])
    states = factory.LazyFunction(list)
    currency = "USD"


class ShippingMethodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShippingMethod

    zone = factory.SubFactory(ShippingZoneFactory)
    code = factory.Sequence(lambda n: f"method-{n}")
    name = factory.LazyAttribute(lambda method: method.code.replace("-", " ").title())
    pricing = ShippingMethod.Pricing.FLAT
    price = Decimal("5.00")
    transit_min_days = 3
    transit_max_days = 5


class ShippingRateBandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShippingRateBand

    method = factory.SubFactory(ShippingMethodFactory, pricing=ShippingMethod.Pricing.WEIGHT, price=None)
    min_value = Decimal("0")
    max_value = None
    price = Decimal("5.00")


@pytest.fixture
def shipping_rates(db) -> None:
    """The demo shop's shipping rates (apps/shipping/demo.py)."""
    seed(StringIO())
