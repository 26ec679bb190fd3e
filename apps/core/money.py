"""The one money type: `Decimal` quantized to cents, rendered as a 2-decimal JSON number."""
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def to_money(value: Decimal | int | str | float) -> Decimal:
    """Quantize to cents with banker-free half-up rounding (what a shopper expects on a receipt)."""
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def to_minor_units(value: Decimal) -> int:
    """Cents as an integer, the unit Stripe's API takes."""
    return int(to_money(value) * 100)


def from_minor_units(value: int) -> Decimal:
    return to_money(Decimal(value) / 100)
