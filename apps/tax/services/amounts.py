"""The one rounding rule for tax amounts: per line, half-up to the cent."""
from decimal import Decimal

from apps.core.money import to_money


def tax_amount_compute(*, amount: Decimal, rate: Decimal, inclusive: bool) -> Decimal:
    """The tax on `amount` at `rate` (a fraction, 0.0725 for 7.25 %), half-up to the cent.

    Tax-exclusive prices: amount × rate. Tax-inclusive prices (VAT): the part of `amount` that is tax,
    amount − amount / (1 + rate), so the net and the tax add up to the listed price exactly."""
    if not rate or not amount:
        return to_money(0)
    if inclusive:
        return to_money(amount - amount / (1 + rate))
    return to_money(amount * rate)
