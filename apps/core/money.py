"""The one money type: `Decimal` quantized to cents, written in JSON as a 2-decimal number (`129.50`).

`MoneyField` is the serializer field for every amount in the API (requests and responses); the
project's default renderer (`apps.core.renderers.JSONRenderer`) writes the Decimal it produces
digit for digit, so `25.00` never becomes `25.0` or `25.000000000000004`.

`format_money` is the one way a person reads an amount (pages, emails): `$12,499.50`, in the
locale of the request (Django's active language, else `LANGUAGE_CODE`); templates use the
`money` filter of `{% load money %}`, which calls it.
"""
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_currency
from django.conf import settings
from django.utils import translation
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

CENT = Decimal("0.01")
MONEY_MAX_DIGITS = 12
MONEY_MAX = Decimal(10) ** (MONEY_MAX_DIGITS - 2) - CENT  # 9,999,999,999.99: 12 digits, 2 of them decimals
MONEY_SCHEMA = {"type": "number", "format": "decimal", "multipleOf": 0.01, "example": 129.5,
                "minimum": -float(MONEY_MAX), "maximum": float(MONEY_MAX),
                "description": "Amount in the currency's major unit, always written with two decimals."}


def to_money(value: Decimal | int | str | float) -> Decimal:
    """Quantize to cents with banker-free half-up rounding (what a shopper expects on a receipt)."""
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def format_money(amount: Decimal | int | str | float, currency: str = "USD", *, locale: str | None = None) -> str:
    """`Decimal("12499.5")` → `"$12,499.50"` (en-US), `"12.499,50 $"` (de-DE); cents rounded half-up first."""
    locale = locale or translation.to_locale(translation.get_language() or settings.LANGUAGE_CODE)
    return format_currency(to_money(amount), (currency or "USD").upper(), locale=locale)


def to_minor_units(value: Decimal) -> int:
    """Cents as an integer, the unit Stripe's API takes."""
    return int(to_money(value) * 100)


def from_minor_units(value: int) -> Decimal:
    return to_money(Decimal(value) / 100)


@extend_schema_field(MONEY_SCHEMA)
class MoneyField(serializers.DecimalField):
    """An amount of money: parsed as a Decimal with at most two decimals, answered as `to_money(value)`
    (a Decimal, never a string: `COERCE_DECIMAL_TO_STRING` does not apply)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", MONEY_MAX_DIGITS)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(coerce_to_string=False, **kwargs)

    def to_representation(self, value) -> Decimal:
        return to_money(value)
