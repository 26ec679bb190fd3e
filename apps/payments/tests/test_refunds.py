"""public.refund through the SDK: partial and full refunds add up, never beyond the charge, retries
never refund twice."""
from decimal import Decimal

import pytest

from apps.payments.models import Payment
from apps.payments.public import (
    ChargeRequest,
    PaymentGatewayUnavailable,
    PaymentNotFound,
    RefundNotAllowed,
    charge,
    payment_details,
    refund,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_order(local_stripe):
    charge(ChargeRequest(order_id="ord_refund", amount=Decimal("215.00"), currency="USD",
                         payment_method_id="pm_card_visa", confirmation_token="cnf_refund"))
    return "ord_refund"


def test_partial_then_full_refund(paid_order, local_stripe):
    first = refund(order_id=paid_order, amount=Decimal("15.00"))
    second = refund(order_id=paid_order, amount=Decimal("200.00"), reason="duplicate")

    assert (first.status, first.payment_status, first.amount) == ("succeeded", "partially_refunded", Decimal("15.00"))
    assert first.refund_id.startswith("re_")
    assert second.payment_status == "refunded"
    payment = Payment.objects.get(order_id=paid_order)
    assert payment.amount_refunded == Decimal("215.00")
    assert [r["amount"] for r in local_stripe.store.refunds.values()] == [1500, 20000]


@pytest.mark.parametrize("amount", [Decimal("215.01"), Decimal("0"), Decimal("-1")])
def test_refund_beyond_charge_is_refused(paid_order, local_stripe, amount):
    with pytest.raises(RefundNotAllowed):
        refund(order_id=paid_order, amount=amount)

    assert local_stripe.call_count("POST", "/v1/refunds") == 0


def test_refund_of_unknown_order(local_stripe):
    with pytest.raises(PaymentNotFound):
        refund(order_id="ord_nope", amount=Decimal("1.00"))


def test_refund_retry_after_502_refunds_once(paid_order, local_stripe):
    local_stripe.fail("502", count=1)

    result = refund(order_id=paid_order, amount=Decimal("20.00"))

    assert result.status == "succeeded"
    assert local_stripe.call_count("POST", "/v1/refunds") == 2
    assert len(local_stripe.store.refunds) == 1


def test_refund_when_stripe_stays_down(paid_order, local_stripe, settings):
    local_stripe.fail("502", count=4)

    with pytest.raises(PaymentGatewayUnavailable):
        refund(order_id=paid_order, amount=Decimal("20.00"))

    assert Payment.objects.get(order_id=paid_order).amount_refunded == Decimal("0.00")


def test_payment_details_for_confirmation_page(paid_order):
    details = payment_details(order_id=paid_order)

    assert details.payment_method_label == "Visa •••• 4242"
    assert payment_details(order_id="ord_unknown") is None
