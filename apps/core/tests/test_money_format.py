"""`format_money` and the `money` template filter: one way to write an amount for a person."""
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from apps.core.money import format_money


@pytest.mark.parametrize(("amount", "currency", "locale", "expected"), [
    (Decimal("12499.5"), "USD", "en_US", "$12,499.50"),
    (Decimal("1234567.891"), "USD", "en_US", "$1,234,567.89"),
    ("0.005", "USD", "en_US", "$0.01"),  # half-up, as on a receipt
    (Decimal("12499.5"), "EUR", "de_DE", "12.499,50\xa0€"),
    (Decimal("25"), "eur", "en_US", "€25.00"),
])
def test_format_money_groups_thousands_and_writes_two_decimals_for_the_locale(amount, currency, locale, expected):
    assert format_money(amount, currency, locale=locale) == expected


def test_format_money_follows_the_active_language():
    with translation.override("de"):
        assert format_money(Decimal("12499.50"), "USD") == "12.499,50\xa0$"
    with translation.override("en-us"):
        assert format_money(Decimal("12499.50"), "USD") == "$12,499.50"


@pytest.mark.parametrize(("template", "expected"), [
    ("{{ amount|money }}", "$12,499.50"),
    ("{{ amount|money:'GBP' }}", "£12,499.50"),
    ("{{ missing|money }}", ""),
])
def test_money_filter_uses_format_money(template, expected):
    rendered = Template("{% load money %}" + template).render(Context({"amount": Decimal("12499.50")}))
    assert rendered == expected
