"""The tax provider interface: what every tax engine must offer the tax app.

A provider turns one validated `TaxRequest` into a `TaxQuote`. `jurisdiction` is the rate table's most
specific row for the destination (or None): the `table` provider takes its rates from it; every provider
takes from it whether the shop's prices include tax there (VAT countries), which is the shop's decision,
not the tax engine's. Providers raise `TaxServiceUnavailable` / `TaxAddressInvalid` (apps.tax.errors).
"""
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from ..interface import TaxQuote, TaxRequest
from ..models import TaxRate

PROVIDERS = {
    "table": "apps.tax.providers.table.TableTaxProvider",
    "stripe": "apps.tax.integrations.stripe.provider.StripeTaxProvider",
}


class TaxProvider(Protocol):
    name: str

    def calculate(self, request: TaxRequest, jurisdiction: TaxRate | None) -> TaxQuote: ...


def get_tax_provider(name: str | None = None) -> TaxProvider:
    """The provider named by TAX_PROVIDER (or `name`)."""
    name = name or settings.TAX_PROVIDER
    if name not in PROVIDERS:
        raise ValueError(f"TAX_PROVIDER must be one of {sorted(PROVIDERS)}, not {name!r}.")
    return import_string(PROVIDERS[name])()
