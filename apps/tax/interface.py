"""The values the tax app exchanges with other apps (re-exported by public.py)."""
from dataclasses import dataclass
from decimal import Decimal

TAX_CATEGORIES = ("standard", "reduced", "exempt")


@dataclass(frozen=True)
class TaxableLine:
    reference: str  # unique per call, e.g. the product id
    amount: Decimal  # the line's price total (unit price × quantity) as the shop lists it
    quantity: int
    tax_category: str  # "standard" | "reduced" | "exempt"


@dataclass(frozen=True)
class LineTax:
    reference: str
    tax: Decimal  # rounded half-up to the cent, per line
    rate: Decimal  # e.g. Decimal("0.0725")


@dataclass(frozen=True)
class TaxQuote:
    lines: tuple[LineTax, ...]  # same order as the input lines
    shipping_tax: Decimal
    total: Decimal  # sum(line.tax) + shipping_tax, exactly
    prices_include_tax: bool  # True where listed prices already contain the tax (VAT countries)
    provider: str  # "table" | "stripe"
    calculation_id: str = ""  # Stripe's taxcalc_… (stripe provider), "" for table


@dataclass(frozen=True)
class TaxReversalLine:
    """Part of a quoted line given back to the shopper (a return): what is refunded for it, tax included, and
    how much of that is tax."""

    reference: str  # the line's reference in the quote (the product id)
    amount: Decimal  # refunded for the line, its tax included
    tax: Decimal  # the part of `amount` that is tax
    quantity: int = 1  # units given back (shown in Stripe's tax exports; no effect on the amounts)


@dataclass(frozen=True)
class TaxRequest:
    """One call's input, normalised (upper-case country and state, stripped ZIP) and validated."""

    country: str
    state: str
    zip_code: str
    lines: tuple[TaxableLine, ...]
    shipping_amount: Decimal
    currency: str
