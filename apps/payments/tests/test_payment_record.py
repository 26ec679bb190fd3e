"""`_payment_record`: the one UPDATE that remembers an intent. The status only moves up (a webhook that got
there first keeps its status), and a label read from the card wins over one a webhook recorded, which in
turn wins over the bare "Card" of an intent without card details."""
from decimal import Decimal

import pytest

from apps.payments.models import Payment, PaymentStatus
from apps.payments.services.charges import _payment_record
from apps.payments.testing import PaymentFactory

pytestmark = pytest.mark.django_db


def intent(status: str, *, card: dict | None = None, amount_received: int = 4799) -> dict:
    """The intent as Stripe's JSON (what the charge reads back), its charge expanded when there is a card."""
    charge = {"id": "ch_rec_1", "object": "charge",
              "payment_method_details": {"type": "card", "card": card} if card else None}
    return {"id": "pi_rec_1", "object": "payment_intent", "status": status, "amount_received": amount_received,
            "latest_charge": charge if card else "ch_rec_1"}


def test_a_succeeded_intent_with_a_card_makes_the_payment_succeeded_and_labelled():
    # given
    payment = PaymentFactory(status=PaymentStatus.CREATED, payment_method_label="")
    # when
    returned = _payment_record(payment=payment, payment_method_type="card",
                               intent=intent("succeeded", card={"brand": "visa", "last4": "4242"}))
    # then: the row and the returned instance agree
    stored = Payment.objects.get(pk=payment.pk)
    for row in (stored, returned):
        assert (row.status, row.intent_id, row.charge_id, row.payment_method_label, row.amount_received) == (
            PaymentStatus.SUCCEEDED, "pi_rec_1", "ch_rec_1", "Visa •••• 4242", Decimal("47.99"))


def test_a_status_a_webhook_moved_further_stays():
    # given: the refund's webhook came first
    payment = PaymentFactory(status=PaymentStatus.PARTIALLY_REFUNDED)
    # when
    returned = _payment_record(payment=payment, payment_method_type="card",
                               intent=intent("succeeded", card={"brand": "visa", "last4": "4242"}))
    # then
    assert Payment.objects.get(pk=payment.pk).status == returned.status == PaymentStatus.PARTIALLY_REFUNDED


def test_an_intent_in_flight_leaves_the_status_and_keeps_a_webhooks_label():
    # given
    payment = PaymentFactory(status=PaymentStatus.CREATED, payment_method_label="Mastercard •••• 4444")
    # when: 3-D Secure pending, the charge not expanded (no card details)
    returned = _payment_record(payment=payment, payment_method_type="card", intent=intent("requires_action"))
    # then
    stored = Payment.objects.get(pk=payment.pk)
    assert (stored.status, stored.payment_method_label, stored.intent_id) == (
        PaymentStatus.CREATED, "Mastercard •••• 4444", "pi_rec_1")
    assert returned.payment_method_label == "Mastercard •••• 4444"


def test_without_card_details_or_an_earlier_label_the_label_is_the_generic_one():
    payment = PaymentFactory(status=PaymentStatus.CREATED, payment_method_label="")
    _payment_record(payment=payment, payment_method_type="card", intent=intent("processing"))
    assert Payment.objects.get(pk=payment.pk).payment_method_label == "Card"
