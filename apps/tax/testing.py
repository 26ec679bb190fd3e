"""Test support of the tax app: factories for its models, and its Celery tasks run in-process as a worker would
(other apps' tests import them too; product code never does)."""
from decimal import Decimal

import factory

from .models import TaxRate


class TaxRateFactory(factory.django.DjangoModelFactory):
    """A jurisdiction's rates; by default California's (7.25 %, groceries untaxed, shipping untaxed)."""

    class Meta:
        model = TaxRate
        django_get_or_create = ("country", "state", "zip_prefix")

    name = factory.LazyAttribute(lambda rate: "-".join(p for p in (rate.country, rate.state, rate.zip_prefix) if p))
    country = "US"
    state = "CA"
    zip_prefix = ""
    standard_rate = Decimal("7.25")
    reduced_rate = Decimal("0")
    shipping_taxable = False
    prices_include_tax = False


def tax_transaction_record_now(reference: str) -> None:
    """Run the `tax.record_transaction` task for `reference` here and now (a paid order's Stripe Tax transaction)."""
    from .tasks import record_transaction

    record_transaction.apply(args=[reference])


def tax_reversal_record_now(reference: str) -> None:
    """Run the `tax.record_reversal` task for `reference` here and now (again, to show a retry is harmless)."""
    from .tasks import record_reversal

    record_reversal.apply(args=[reference])


def tax_reversal_rows() -> list[dict]:
    """Every reversal the tax app queued, oldest first, as dicts (for other apps' tests, which may not read the
    tax app's models)."""
    from .models import TaxReversal

    return list(TaxReversal.objects.order_by("created_at", "pk").values(
        "reference", "status", "flat_amount", "lines", "stripe_reversal_id", "sent_line_items"))
