"""Stripe Tax transactions: `create_from_calculation` once the order is paid, idempotent per reference."""
from ...errors import TaxTransactionRefused
from .api import StripeRefused, stripe_tax_call


def stripe_tax_transaction_create(*, calculation_id: str, reference: str) -> str:
    """Stripe's `tax_…` transaction id. The Idempotency-Key derives from the reference, so a retry after a lost
    answer replays the first transaction instead of failing on the reference Stripe already holds.
    Raises `TaxServiceUnavailable` (retry later) or `TaxTransactionRefused` (never will succeed)."""
    params = {"calculation": calculation_id, "reference": reference}
    try:
        created = stripe_tax_call(lambda client: client.v1.tax.transactions.create_from_calculation(
            params=params, options={"idempotency_key": f"tax-transaction:{reference}"}),
            name="tax_transaction_create")
    except StripeRefused as exc:
        raise TaxTransactionRefused(str(exc)) from exc
    return created["id"]
