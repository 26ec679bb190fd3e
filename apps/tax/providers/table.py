"""The `table` tax provider: the rates ops configure per jurisdiction in the admin (apps.tax.models.TaxRate).

Standard-category lines take the standard rate, reduced-category lines the reduced rate, exempt lines
none; shipping takes the standard rate where the jurisdiction taxes shipping. A destination no row covers
is not taxed (the shop does not collect tax there).
"""
from decimal import Decimal

from ..interface import LineTax, TaxQuote, TaxRequest
from ..models import TaxRate
from ..services.amounts import tax_amount_compute

ZERO = Decimal("0")


class TableTaxProvider:
    name = "table"

    def calculate(self, request: TaxRequest, jurisdiction: TaxRate | None) -> TaxQuote:
        inclusive = bool(jurisdiction and jurisdiction.prices_include_tax)
        rates = {
            "standard": jurisdiction.standard_fraction if jurisdiction else ZERO,
            "reduced": jurisdiction.reduced_fraction if jurisdiction else ZERO,
            "exempt": ZERO,
        }
        lines = tuple(
            LineTax(reference=line.reference, rate=rates[line.tax_category],
                    tax=tax_amount_compute(amount=line.amount, rate=rates[line.tax_category], inclusive=inclusive))
            for line in request.lines)
        shipping_rate = rates["standard"] if jurisdiction and jurisdiction.shipping_taxable else ZERO
        shipping_tax = tax_amount_compute(amount=request.shipping_amount, rate=shipping_rate, inclusive=inclusive)
        return TaxQuote(lines=lines, shipping_tax=shipping_tax, total=sum((line.tax for line in lines), shipping_tax),
                        prices_include_tax=inclusive, provider=self.name)
