"""The tax app's interface for other apps (functions and dataclasses only).

Quoting (checkout):
    quote = tax_calculate(country="US", state="CA", zip_code="94107", currency="USD",
                          lines=[TaxableLine(reference="prod_…", amount=Decimal("25.98"), quantity=2,
                                             tax_category="standard")],
                          shipping_amount=Decimal("5.99"))
  `quote.lines` follow the input order; each line's tax is rounded half-up to the cent on its own, and
  `quote.total == sum(line.tax) + quote.shipping_tax` exactly. The same input always gives the same quote.
  `quote.prices_include_tax` is True where the shop's listed prices already contain the tax (VAT
  countries): then each line's tax is the part of its amount that is tax (amount − amount / (1 + rate)),
  and the net is amount − tax; otherwise the tax comes on top (amount × rate).
  The provider is TAX_PROVIDER: "table" (default; the rates in the ops admin per country, US state and ZIP
  prefix — the most specific wins; a destination without a rate is not taxed) or "stripe" (Stripe Tax;
  `quote.calculation_id` is Stripe's `taxcalc_…`). Either way the admin's jurisdiction says whether prices
  include tax there.

  Errors (ApplicationError subclasses, rendered by the core envelope when left to propagate from a view):
  - `TaxServiceUnavailable` — 503 `TAX_SERVICE_UNAVAILABLE` with `Retry-After` / `retry_after_seconds`:
    Stripe Tax unreachable, timing out or failing after a retry. Nothing was charged; ask the shopper to
    retry (map it to your own 502/503 code if your API documents one).
  - `TaxAddressInvalid` — 422 `TAX_ADDRESS_INVALID`: Stripe Tax cannot place the address in a jurisdiction.
  - `TaxRequestInvalid` — 422 `TAX_REQUEST_INVALID`: malformed input (unknown tax_category, repeated
    reference, negative amount, country/currency not ISO codes) — a bug in the caller.

After payment (checkout), inside the database transaction that marks the order paid:
    tax_transaction_record_later(calculation_id=quote.calculation_id, reference=order_id)
  queues, on commit, the Celery task that records the Stripe Tax transaction (retried while Stripe is
  down, one per reference). Does nothing for "" (the table provider).

After a refund, inside the database transaction that records it:
    tax_reversal_record_later(transaction_reference=order_id, reversal_reference=f"{order_id}:{refund_id}",
                              lines=[TaxReversalLine(reference=product_id, amount=refunded, tax=its_tax, quantity=n)])
  queues, on commit, the Celery task that reverses the order's Stripe Tax transaction: `lines=None` in full
  (a cancelled order: items, tax and shipping), else the lines given back (a return); or, with
  `flat_amount=refunded` instead of lines, an amount refunded tax included (an ops refund from the admin).
  Retried while Stripe is down or the transaction is not recorded yet; one reversal per `reversal_reference`
  however often it is asked for. Does nothing for an order without a Stripe Tax transaction (the table provider).

`TAX_CATEGORIES` is ("standard", "reduced", "exempt"), the values of catalog's `Product.tax_category`.
"""
from decimal import Decimal

from .errors import TaxAddressInvalid, TaxRequestInvalid, TaxServiceUnavailable
from .interface import TAX_CATEGORIES, LineTax, TaxableLine, TaxQuote, TaxReversalLine
from .services.quotes import tax_quote_calculate
from .services.reversals import tax_reversal_record_later as _reversal_later
from .services.transactions import tax_transaction_record_later as _record_later

__all__ = [
    "TAX_CATEGORIES", "TaxableLine", "LineTax", "TaxQuote",
    "TaxServiceUnavailable", "TaxAddressInvalid", "TaxRequestInvalid",
    "tax_calculate", "tax_transaction_record_later", "TaxReversalLine", "tax_reversal_record_later",
]


def tax_calculate(*, country: str, state: str, zip_code: str, lines: list[TaxableLine], shipping_amount: Decimal,
                  currency: str) -> TaxQuote:
    """Provider chosen by settings.TAX_PROVIDER ("table" default, or "stripe"). Same input → same output."""
    return tax_quote_calculate(country=country, state=state, zip_code=zip_code, lines=lines,
                               shipping_amount=shipping_amount, currency=currency)


def tax_transaction_record_later(*, calculation_id: str, reference: str) -> None:
    """Called inside the transaction that marks the order paid: queues (on commit, Celery, retried, idempotent per
    reference) the Stripe Tax transaction for that calculation. Does nothing for "" (table provider)."""
    _record_later(calculation_id=calculation_id, reference=reference)


def tax_reversal_record_later(*, transaction_reference: str, reversal_reference: str,
                              lines: list[TaxReversalLine] | None = None, flat_amount: Decimal | None = None) -> None:
    """Called inside the transaction that records a refund: queues (on commit, Celery, retried, idempotent per
    reversal reference) the reversal of the order's Stripe Tax transaction, in full (`lines` and `flat_amount`
    None), of the lines given back, or of `flat_amount` (an amount refunded without lines, tax included), which
    Stripe spreads over the transaction. Does nothing for an order without a Stripe Tax transaction (table
    provider)."""
    _reversal_later(transaction_reference=transaction_reference, reversal_reference=reversal_reference, lines=lines,
                    flat_amount=flat_amount)
