"""The `stripe` tax provider: one Stripe Tax calculation per quote.

Line amounts go to Stripe in cents with `tax_behavior` inclusive where the admin's jurisdiction says prices
include tax (VAT countries), exclusive elsewhere, and a tax code per category; shipping as `shipping_cost`.
Each line's tax and rate are Stripe's (`amount_tax`, the sum of its `tax_breakdown` percentages).
Lines of 0.00 are not sent (Stripe wants positive amounts) and carry no tax; a quote with nothing to tax
makes no call and has no calculation id.
"""
import logging
from decimal import Decimal

from apps.core.money import from_minor_units, to_minor_units

from ...errors import TaxServiceUnavailable
from ...interface import LineTax, TaxQuote, TaxRequest
from ...models import TaxRate
from .api import StripeRefused, stripe_tax_call
from .consts import SHIPPING_TAX_CODE, TAX_CODES

logger = logging.getLogger(__name__)
ZERO = Decimal("0.00")
PAGE_SIZE = 100


class StripeTaxProvider:
    name = "stripe"

    def calculate(self, request: TaxRequest, jurisdiction: TaxRate | None) -> TaxQuote:
        inclusive = bool(jurisdiction and jurisdiction.prices_include_tax)
        behavior = "inclusive" if inclusive else "exclusive"
        sent = [line for line in request.lines if to_minor_units(line.amount) > 0]
        shipping_cents = to_minor_units(request.shipping_amount)
        if not sent and not shipping_cents:
            return TaxQuote(lines=tuple(LineTax(reference=line.reference, tax=ZERO, rate=Decimal("0"))
                                        for line in request.lines),
                            shipping_tax=ZERO, total=ZERO, prices_include_tax=inclusive, provider=self.name)
        params = {
            "currency": request.currency.lower(),
            "customer_details": {"address_source": "shipping", "address": {key: value for key, value in (
                ("country", request.country), ("state", request.state), ("postal_code", request.zip_code)) if value}},
            "line_items": [{"amount": to_minor_units(line.amount), "quantity": line.quantity,
                            "reference": line.reference, "tax_behavior": behavior,
                            "tax_code": TAX_CODES[line.tax_category]} for line in sent],
            "expand": ["line_items"],
        }
        if shipping_cents:
            params["shipping_cost"] = {"amount": shipping_cents, "tax_behavior": behavior,
                                       "tax_code": SHIPPING_TAX_CODE}
        try:
            calculation = stripe_tax_call(lambda client: client.v1.tax.calculations.create(params=params).to_dict(),
                                          name="tax_calculation_create")
            items = _line_items(calculation)
        except StripeRefused as exc:
            logger.error("Stripe Tax refused the calculation", extra={"error": str(exc)})
            raise TaxServiceUnavailable(message="Tax calculation failed at the tax provider. Please retry "
                                                "later.") from exc
        by_reference = {item["reference"]: item for item in items}
        lines = tuple(_line_tax(line.reference, by_reference.get(line.reference)) for line in request.lines)
        shipping = calculation.get("shipping_cost") or {}
        shipping_tax = from_minor_units(shipping.get("amount_tax") or 0)
        return TaxQuote(lines=lines, shipping_tax=shipping_tax, total=sum((line.tax for line in lines), shipping_tax),
                        prices_include_tax=inclusive, provider=self.name, calculation_id=calculation["id"])


def _line_items(calculation) -> list:
    """Every line item of the calculation: the expanded first page, then the rest page by page."""
    page = calculation.get("line_items") or {"data": [], "has_more": True}
    items = list(page["data"])
    while page.get("has_more"):
        params = {"limit": PAGE_SIZE, **({"starting_after": items[-1]["id"]} if items else {})}
        page = stripe_tax_call(lambda client, params=params: client.v1.tax.calculations.line_items.list(
            calculation["id"], params=params).to_dict(), name="tax_calculation_line_items")
        items.extend(page["data"])
    return items


def _line_tax(reference: str, item) -> LineTax:
    if item is None:  # a 0.00 line, not sent
        return LineTax(reference=reference, tax=ZERO, rate=Decimal("0"))
    percent = sum((Decimal(str((part.get("tax_rate_details") or {}).get("percentage_decimal") or "0"))
                   for part in item.get("tax_breakdown") or []), Decimal("0"))
    return LineTax(reference=reference, tax=from_minor_units(item["amount_tax"]), rate=percent / 100)
