"""Demo tax rates: a handful of US states (sales tax on top of prices; groceries untaxed; New York City's
combined rate by ZIP prefix; Oregon has no sales tax) and two EU VAT countries (prices include VAT).
Idempotent (update_or_create by jurisdiction)."""
from decimal import Decimal

from .models import TaxRate

# (name, country, state, zip_prefix, standard %, reduced %, shipping taxed, prices include tax)
DEMO_RATES = [
    ("California", "US", "CA", "", "7.25", "0", False, False),
    ("New York", "US", "NY", "", "4", "0", True, False),
    ("New York City (Manhattan)", "US", "NY", "100", "8.875", "0", True, False),
    ("Texas", "US", "TX", "", "6.25", "0", True, False),
    ("Washington", "US", "WA", "", "6.5", "0", True, False),
    ("Oregon", "US", "OR", "", "0", "0", False, False),
    ("Germany", "DE", "", "", "19", "7", True, True),
    ("France", "FR", "", "", "20", "5.5", True, True),
]


def seed(stdout) -> None:
    for name, country, state, zip_prefix, standard, reduced, shipping_taxable, inclusive in DEMO_RATES:
        TaxRate.objects.update_or_create(country=country, state=state, zip_prefix=zip_prefix, defaults={
            "name": name, "standard_rate": Decimal(standard), "reduced_rate": Decimal(reduced),
            "shipping_taxable": shipping_taxable, "prices_include_tax": inclusive})
    stdout.write(f"tax: {len(DEMO_RATES)} jurisdictions ({TaxRate.objects.count()} in all)")
