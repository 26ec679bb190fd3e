"""Stripe Tax reversals: `create_reversal` of an order's transaction when money goes back to the shopper.

A full reversal gives back everything the transaction recorded (a cancelled order). A partial one gives back
the refunded lines: each is matched, by its quote reference (the product id), to the transaction's line item,
and sent as Stripe wants it, negative and in cents, with the tax apart (`amount` excludes the tax where the
line's tax was added on top, includes it where prices include tax), capped at what earlier reversals left
of the line (cent rounding of several returns of one line never asks for a cent more than was recorded).
Lines Stripe never saw (0.00 lines are not sent to a calculation) have nothing to reverse.
A flat reversal (an amount refunded without lines) sends Stripe `flat_amount`: in Stripe's words "the total
amount to refund from the transaction, including taxes", negative, in cents; Stripe spreads it over the
line items and shipping in proportion, and refuses more than is left. Its line items are read back, so later
line reversals are capped by what it took.
"""
import logging
from decimal import Decimal

from apps.core.money import to_minor_units

from ...errors import TaxTransactionRefused
from ...interface import TaxReversalLine
from .api import StripeRefused, stripe_tax_call

logger = logging.getLogger(__name__)
PAGE_SIZE = 100


def stripe_tax_reversal_create(*, original_transaction_id: str, reference: str, lines: list[TaxReversalLine] | None,
                               reversed_before: dict[str, tuple[int, int]],
                               flat_amount: Decimal | None = None) -> tuple[str, list[dict]]:
    """Stripe's `tax_…` id of the reversal (`lines` and `flat_amount` None: in full) and the line items it
    took back (partial: those sent; flat: those Stripe made). The Idempotency-Key derives from the reference, so
    a retry after a lost answer replays the first reversal instead of making a second. `reversed_before`: cents
    (amount, tax) earlier reversals took per line reference. `flat_amount`: refunded, tax included.
    Raises `TaxServiceUnavailable` (retry later) or `TaxTransactionRefused` (never will succeed)."""
    params: dict = {"original_transaction": original_transaction_id, "reference": reference, "mode": "full"}
    try:
        if flat_amount is not None:
            params.update(mode="partial", flat_amount=-to_minor_units(flat_amount))
        elif lines is not None:
            params.update(mode="partial", line_items=_reversal_items(original_transaction_id, lines, reversed_before))
        created = stripe_tax_call(lambda client: client.v1.tax.transactions.create_reversal(
            params=params, options={"idempotency_key": f"tax-reversal:{reference}"}), name="tax_reversal_create")
        if flat_amount is not None:
            return created["id"], [{"reference": item["reference"], "amount": item["amount"],
                                    "amount_tax": item["amount_tax"]} for item in _transaction_items(created["id"])]
    except StripeRefused as exc:
        raise TaxTransactionRefused(str(exc)) from exc
    return created["id"], params.get("line_items", [])


def _reversal_items(transaction_id: str, lines: list[TaxReversalLine],
                    reversed_before: dict[str, tuple[int, int]]) -> list[dict]:
    by_reference = {item["reference"]: item for item in _transaction_items(transaction_id)}
    items = []
    for line in lines:
        item = by_reference.get(line.reference)
        if item is None:
            if line.amount:
                logger.warning("refunded line missing from the Stripe Tax transaction",
                               extra={"transaction": transaction_id, "line": line.reference})
            continue
        amount_before, tax_before = reversed_before.get(line.reference, (0, 0))
        tax = max(min(to_minor_units(line.tax), item["amount_tax"] - tax_before), 0)
        gross = to_minor_units(line.amount)
        wanted = gross if item["tax_behavior"] == "inclusive" else gross - tax
        amount = max(min(wanted, item["amount"] - amount_before), 0)
        items.append({"original_line_item": item["id"], "reference": line.reference, "quantity": line.quantity,
                      "amount": -amount, "amount_tax": -tax})
    if not items:
        raise TaxTransactionRefused(f"none of the refunded lines is in transaction {transaction_id}")
    return items


def _transaction_items(transaction_id: str) -> list[dict]:
    items: list[dict] = []
    while True:
        params = {"limit": PAGE_SIZE, **({"starting_after": items[-1]["id"]} if items else {})}
        page = stripe_tax_call(lambda client, params=params: client.v1.tax.transactions.line_items.list(
            transaction_id, params=params).to_dict(), name="tax_transaction_line_items")
        items.extend(page["data"])
        if not page.get("has_more"):
            return items
