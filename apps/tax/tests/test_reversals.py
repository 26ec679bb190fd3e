"""Stripe Tax reversals for refunds: queued inside the refund's transaction, sent only after it commits, in full
or by line (never more of a line than the transaction recorded), retried while Stripe is down or the original
transaction is still pending, one per refund however often it is asked for; nothing without a transaction."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from apps.tax.models import TaxReversal
from apps.tax.public import (
    TaxableLine,
    TaxReversalLine,
    tax_calculate,
    tax_reversal_record_later,
    tax_transaction_record_later,
)
from apps.tax.tasks import record_pending_transactions, record_reversal, record_transaction

pytestmark = pytest.mark.django_db
REVERSE = "/v1/tax/transactions/create_reversal"


@pytest.fixture
def recorded(local_stripe, settings) -> dict:
    """ord_1's transaction at Stripe: 3 × 10.00 in Texas (6.25 %), shipping 5.99 (taxed there too)."""
    settings.TAX_PROVIDER = "stripe"
    quote = tax_calculate(country="US", state="TX", zip_code="73301", currency="USD", shipping_amount=Decimal("5.99"),
                          lines=[TaxableLine(reference="prod_a", amount=Decimal("30.00"), quantity=3,
                                             tax_category="standard")])
    tax_transaction_record_later(calculation_id=quote.calculation_id, reference="ord_1")
    record_transaction.apply(args=["ord_1"])
    [original] = local_stripe.store.tax_transactions.values()
    return original


def reversals(local_stripe) -> list[tuple[dict, list[dict]]]:
    store = local_stripe.store
    return [(t, store.tax_transaction_line_items[t["id"]]) for t in store.tax_transactions.values()
            if t["type"] == "reversal"]


def test_a_full_reversal_is_sent_after_the_refund_commits(local_stripe, recorded, eager_tasks,
                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        tax_reversal_record_later(transaction_reference="ord_1", reversal_reference="ord_1-re_1")
        assert local_stripe.call_count("POST", REVERSE) == 0  # nothing leaves before the commit

    [(reversal, lines)] = reversals(local_stripe)
    assert (reversal["reference"], reversal["reversal"]["original_transaction"]) == ("ord_1-re_1", recorded["id"])
    assert [(line["amount"], line["amount_tax"]) for line in lines] == [(-3000, -188)]  # 30.00 × 6.25 % = 1.875
    assert (reversal["shipping_cost"]["amount"], reversal["shipping_cost"]["amount_tax"]) == (-599, -37)
    row = TaxReversal.objects.get()
    assert (row.status, row.stripe_reversal_id, row.mode) == ("recorded", reversal["id"], "full")


def test_a_partial_reversal_takes_back_the_lines_given_back(local_stripe, recorded, eager_tasks):
    one_unit = TaxReversalLine(reference="prod_a", amount=Decimal("10.63"), tax=Decimal("0.63"), quantity=1)

    tax_reversal_record_later(transaction_reference="ord_1", reversal_reference="ord_1-re_1", lines=[one_unit])
    record_reversal.apply(args=["ord_1-re_1"])

    [(reversal, [line])] = reversals(local_stripe)
    assert (line["amount"], line["amount_tax"], line["quantity"]) == (-1000, -63, 1)
    assert reversal["shipping_cost"] is None


def test_returns_of_one_line_never_take_back_more_than_it_recorded(local_stripe, recorded):
    # three returns of one unit, each rounded up to the cent: 0.63 × 3 = 1.89 > the 1.88 recorded
    for n in (1, 2, 3):
        line = TaxReversalLine(reference="prod_a", amount=Decimal("10.63"), tax=Decimal("0.63"))
        tax_reversal_record_later(transaction_reference="ord_1", reversal_reference=f"ord_1-re_{n}", lines=[line])
        record_reversal.apply(args=[f"ord_1-re_{n}"])

    assert list(TaxReversal.objects.values_list("status", flat=True)) == ["recorded"] * 3
    taken = [line for _, lines in reversals(local_stripe) for line in lines]
    assert sum(line["amount_tax"] for line in taken) == -188
    assert sum(line["amount"] for line in taken) == -3000


def test_a_retried_task_or_a_repeated_refund_reverses_once(local_stripe, recorded, eager_tasks,
                                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tax_reversal_record_later(transaction_reference="ord_1", reversal_reference="ord_1-re_1")
        tax_reversal_record_later(transaction_reference="ord_1", reversal_reference="ord_1-re_1")
    record_reversal.apply(args=["ord_1-re_1"])
    # the worker died after Stripe answered, before the row was saved: the retry replays Stripe's answer
    TaxReversal.objects.update(status="pending", stripe_reversal_id="")
    record_reversal.apply(args=["ord_1-re_1"])

    [(reversal, _)] = reversals(local_stripe)
    assert TaxReversal.objects.get().stripe_reversal_id == reversal["id"]
    assert [call["idempotency_key"] for call in local_stripe.calls("POST", REVERSE)] == ["tax-reversal:ord_1-re_1"] * 2


def test_stripe_down_is_retried_until_it_is_reversed(local_stripe, recorded, eager_tasks):
    tax_reversal_record_later(transaction_reference="ord_1", reversal_reference="ord_1-re_1")
    local_stripe.fail("502", count=3)  # two attempts per task run: the second run gets through on its second try

    record_reversal.apply(args=["ord_1-re_1"])

    assert len(reversals(local_stripe)) == 1
    row = TaxReversal.objects.get()
    assert (row.status, row.attempts, row.last_error) == ("recorded", 2, "")


def test_a_reversal_waits_for_its_transaction(local_stripe, settings, eager_tasks):
    settings.TAX_PROVIDER = "stripe"
    quote = tax_calculate(country="US", state="TX", zip_code="73301", currency="USD", shipping_amount=Decimal("0"),
                          lines=[TaxableLine(reference="prod_a", amount=Decimal("30.00"), quantity=3,
                                             tax_category="standard")])
    tax_transaction_record_later(calculation_id=quote.calculation_id, reference="ord_1")  # not sent yet
    tax_reversal_record_later(transaction_reference="ord_1", reversal_reference="ord_1-re_1")

    record_reversal.apply(args=["ord_1-re_1"])  # retried until it gives up: the transaction is still pending
    assert TaxReversal.objects.get().status == "pending" and local_stripe.call_count("POST", REVERSE) == 0

    record_transaction.apply(args=["ord_1"])
    record_reversal.apply(args=["ord_1-re_1"])
    assert TaxReversal.objects.get().status == "recorded" and len(reversals(local_stripe)) == 1


def test_an_order_without_a_stripe_tax_transaction_reverses_nothing(local_stripe, eager_tasks,
                                                                    django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        tax_reversal_record_later(transaction_reference="ord_table", reversal_reference="ord_table-re_1")

    assert callbacks == [] and not TaxReversal.objects.exists()
    assert local_stripe.call_count("POST", REVERSE) == 0


def test_the_sweep_requeues_a_reversal_whose_task_was_lost(local_stripe, recorded, eager_tasks):
    tax_reversal_record_later(transaction_reference="ord_1", reversal_reference="ord_1-re_1")  # no commit
    TaxReversal.objects.update(created_at=timezone.now() - timedelta(hours=1))

    assert record_pending_transactions.apply().get() == 1

    assert TaxReversal.objects.get().status == "recorded"
