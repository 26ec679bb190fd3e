"""Test support of the tax app: factories for its models (other apps' tests import them too; product code never
does)."""
from decimal import Decimal

import factory

from .models import TaxRate


class TaxRateFactory(factory.django.DjangoModelFactory):
    """A jurisdiction's rates; by default California's (7.25 %, groceries untaxed, shipping untaxed)."""

    class Meta:
        model = TaxRate
        django_get_or_create = ("country", "state", "zip_prefix")

    name = factory.LazyAttribute(lambda rate: "-".join(p for p in (rate.country, rate.state, rate.zip_prefix) if p))
    country = "US"
    state = "CA"
    zip_prefix = ""
    standard_rate = Decimal("7.25")
    reduced_rate = Decimal("0")
    shipping_taxable = False
    prices_include_tax = False
