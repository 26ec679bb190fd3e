"""The demo shop's tax: `seed_demo` loads a handful of US states and two EU VAT countries (idempotently), and
the demo catalog's food is reduced-rate. Quotes from it follow each jurisdiction's rules."""
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps

from apps.catalog.public import product_info
from apps.tax.models import TaxRate
from apps.tax.public import TaxableLine, tax_calculate

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_rates():
    apps.get_app_config("tax").seed_demo(StringIO())
    apps.get_app_config("tax").seed_demo(StringIO())


def tax_on_100(country: str, state: str, zip_code: str, category: str = "standard"):
    return tax_calculate(country=country, state=state, zip_code=zip_code, currency="USD",
                         lines=[TaxableLine(reference="p", amount=Decimal("100.00"), quantity=1,
                                            tax_category=category)], shipping_amount=Decimal("10.00"))


def test_the_demo_rates_load_once(demo_rates):
    assert TaxRate.objects.count() == 8
    assert set(TaxRate.objects.values_list("country", flat=True)) == {"US", "DE", "FR"}


@pytest.mark.parametrize(("destination", "line_tax", "shipping_tax", "inclusive"), [
    (("US", "CA", "94107"), "7.25", "0.00", False),  # California does not tax separately stated shipping
    (("US", "NY", "10001"), "8.88", "0.89", False),  # Manhattan's ZIP prefix: 8.875 %
    (("US", "NY", "12207"), "4.00", "0.40", False),  # Albany: the state's 4 %
    (("US", "OR", "97201"), "0.00", "0.00", False),  # Oregon has no sales tax
    (("US", "FL", "33101"), "0.00", "0.00", False),  # not configured: not collected
    (("DE", "", "10115"), "15.97", "1.60", True),  # 100 − 100 / 1.19
    (("FR", "", "75001"), "16.67", "1.67", True),
])
def test_demo_quotes(demo_rates, destination, line_tax, shipping_tax, inclusive):
    quote = tax_on_100(*destination)

    assert (quote.lines[0].tax, quote.shipping_tax, quote.prices_include_tax) == (
        Decimal(line_tax), Decimal(shipping_tax), inclusive)


@pytest.mark.parametrize(("country", "reduced"), [("US", "0.00"), ("DE", "6.54"), ("FR", "5.21")])
def test_food_is_reduced_rate_in_the_demo(demo_rates, country, reduced):
    state, zip_code = ("CA", "94107") if country == "US" else ("", "10115")
    apps.get_app_config("catalog").seed_demo(StringIO())
    coffee = next(info for info in (product_info(product_id=f"prod_demo_{i:03d}") for i in range(60))
                  if info.name.endswith("Coffee Beans"))

    assert coffee.tax_category == "reduced"
    assert product_info(product_id="prod_monitor_32in").tax_category == "standard"
    assert tax_on_100(country, state, zip_code, coffee.tax_category).lines[0].tax == Decimal(reduced)
