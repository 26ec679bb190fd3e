"""Stripe Tax transactions for paid orders: queued inside the order's transaction, sent only after it commits,
retried while Stripe is down, one per reference however often it is asked for."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from apps.tax.models import TaxTransaction
from apps.tax.public import TaxableLine, tax_calculate, tax_transaction_record_later
from apps.tax.tasks import record_pending_transactions, record_transaction

pytestmark = pytest.mark.django_db
CREATE = "/v1/tax/transactions/create_from_calculation"


@pytest.fixture
def calculation_id(local_stripe, settings) -> str:
    settings.TAX_PROVIDER = "stripe"
    quote = tax_calculate(country="US", state="TX", zip_code="73301", currency="USD", shipping_amount=Decimal("5.99"),
                          lines=[TaxableLine(reference="prod_a", amount=Decimal("40.00"), quantity=1,
                                             tax_category="standard")])
    return quote.calculation_id


def transactions(local_stripe) -> list[dict]:
    return list(local_stripe.store.tax_transactions.values())


def test_the_transaction_is_recorded_after_the_order_commits(local_stripe, calculation_id, eager_tasks,
                                                             django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        tax_transaction_record_later(calculation_id=calculation_id, reference="ord_1")
        assert local_stripe.call_count("POST", CREATE) == 0  # nothing leaves before the commit

    assert len(callbacks) == 1
    (recorded,) = transactions(local_stripe)
    assert (recorded["reference"], recorded["calculation"]) == ("ord_1", calculation_id)
    row = TaxTransaction.objects.get(reference="ord_1")
    assert (row.status, row.stripe_transaction_id, row.attempts) == ("recorded", recorded["id"], 1)


def test_a_rolled_back_order_records_nothing(local_stripe, calculation_id, eager_tasks,
                                             django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                tax_transaction_record_later(calculation_id=calculation_id, reference="ord_1")
                raise RuntimeError("payment bookkeeping failed")
        except RuntimeError:
            pass

    assert callbacks == [] and transactions(local_stripe) == []
    assert not TaxTransaction.objects.exists()


def test_stripe_down_is_retried_until_it_is_recorded(local_stripe, calculation_id, eager_tasks):
    tax_transaction_record_later(calculation_id=calculation_id, reference="ord_1")
    local_stripe.fail("502", count=5)  # two attempts per task run: two runs fail, the third succeeds

    record_transaction.apply(args=["ord_1"])

    (recorded,) = transactions(local_stripe)
    assert recorded["reference"] == "ord_1"
    assert local_stripe.call_count("POST", CREATE) == 6
    row = TaxTransaction.objects.get(reference="ord_1")
    assert (row.status, row.attempts, row.last_error) == ("recorded", 3, "")


def test_each_reference_is_recorded_once(local_stripe, calculation_id, eager_tasks,
                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tax_transaction_record_later(calculation_id=calculation_id, reference="ord_1")
        tax_transaction_record_later(calculation_id=calculation_id, reference="ord_1")
    record_transaction.apply(args=["ord_1"])
    with django_capture_on_commit_callbacks(execute=True):
        tax_transaction_record_later(calculation_id=calculation_id, reference="ord_1")

    assert len(transactions(local_stripe)) == 1
    assert local_stripe.call_count("POST", CREATE) == 1


def test_a_lost_answer_is_replayed_not_duplicated(local_stripe, calculation_id):
    """Stripe recorded the transaction but the row still says pending (the worker died before saving):
    the retry's Idempotency-Key replays Stripe's first answer."""
    tax_transaction_record_later(calculation_id=calculation_id, reference="ord_1")
    record_transaction.apply(args=["ord_1"])
    TaxTransaction.objects.update(status="pending", stripe_transaction_id="")

    record_transaction.apply(args=["ord_1"])

    (recorded,) = transactions(local_stripe)
    assert TaxTransaction.objects.get().stripe_transaction_id == recorded["id"]
    assert [call["idempotency_key"] for call in local_stripe.calls("POST", CREATE)] == ["tax-transaction:ord_1"] * 2


def test_a_refusal_is_kept_for_ops_and_not_retried(local_stripe, settings):
    tax_transaction_record_later(calculation_id="taxcalc_unknown", reference="ord_1")

    record_transaction.apply(args=["ord_1"])

    row = TaxTransaction.objects.get()
    assert row.status == "refused" and "No such tax.calculation" in row.last_error
    record_transaction.apply(args=["ord_1"])
    assert local_stripe.call_count("POST", CREATE) == 1


def test_the_sweep_requeues_transactions_whose_task_was_lost(local_stripe, calculation_id, eager_tasks):
    an_hour_ago = timezone.now() - timedelta(hours=1)
    for reference in ("ord_lost", "ord_gave_up", "ord_new", "ord_retrying"):
        tax_transaction_record_later(calculation_id=calculation_id, reference=reference)  # no commit: not queued
    TaxTransaction.objects.filter(reference="ord_lost").update(created_at=an_hour_ago)
    TaxTransaction.objects.filter(reference="ord_gave_up").update(created_at=an_hour_ago, last_attempt_at=an_hour_ago)
    TaxTransaction.objects.filter(reference="ord_retrying").update(
        created_at=an_hour_ago, last_attempt_at=timezone.now() - timedelta(minutes=20))

    assert record_pending_transactions.apply().get() == 2

    assert sorted(recorded["reference"] for recorded in transactions(local_stripe)) == ["ord_gave_up", "ord_lost"]
    assert set(TaxTransaction.objects.filter(status="pending").values_list("reference", flat=True)) == {
        "ord_new", "ord_retrying"}
