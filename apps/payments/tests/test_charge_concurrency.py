"""Concurrent charges of one order (double-clicks, retried requests) make one intent and one charge."""
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection

from apps.payments.models import Payment
from apps.payments.public import ChargeRequest, charge

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_charges_of_one_order_make_one_intent(local_stripe):
    request = ChargeRequest(order_id="ord_concurrent", amount=Decimal("99.99"), currency="USD",
                            payment_method_id="pm_card_visa", confirmation_token="cnf_concurrent")

    def pay(_):
        try:
            return charge(request)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(pay, range(8)))

    assert {r.intent_id for r in results} == {results[0].intent_id}
    assert {r.status for r in results} == {"succeeded"}
    assert len(local_stripe.intents()) == 1
    assert len(local_stripe.store.charges) == 1
    assert Payment.objects.filter(order_id="ord_concurrent").count() == 1
