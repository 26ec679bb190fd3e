"""Every Stripe call carries the pinned API version (`Stripe-Version: 2023-10-16`), whatever the SDK's own
default: the local Stripe-compatible server records each call's header."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from apps.payments.public import ChargeRequest, charge, refund
from apps.payments.services.customers import saved_card_attach, saved_card_list, saved_card_remove
from apps.payments.services.reconcile import payment_reconcile_pending

pytestmark = pytest.mark.django_db


def test_every_stripe_call_carries_the_pinned_api_version(local_stripe):
    # given: a shopper who pays, is refunded, saves and removes a card, and a reconciliation run
    charge(ChargeRequest(order_id="ord_version", amount=Decimal("20.00"), currency="USD",
                         payment_method_id="pm_card_visa"))
    refund(order_id="ord_version", amount=Decimal("5.00"))
    local_stripe.next_intent_status("processing")
    charge(ChargeRequest(order_id="ord_version_2", amount=Decimal("9.00"), currency="USD",
                         payment_method_id="pm_card_visa"))
    charge(ChargeRequest(order_id="ord_version_2", amount=Decimal("9.00"), currency="USD",
                         payment_method_id="pm_card_visa"))
    user = get_user_model().objects.create_user("version", "version@example.com", "pw")
    card = saved_card_attach(user=user, payment_method_id="pm_card_mastercard")
    saved_card_list(user=user)
    saved_card_remove(user=user, payment_method_id=card.payment_method_id)
    payment_reconcile_pending(older_than=timedelta(0))
    # when
    calls = local_stripe.calls()
    # then
    paths = {(call["method"], call["path"].split("/")[2]) for call in calls}
    assert {("POST", "payment_intents"), ("GET", "payment_intents"), ("POST", "refunds"), ("POST", "customers"),
            ("POST", "setup_intents"),
            ("POST", "payment_methods"), ("GET", "payment_methods")} <= paths
    assert [call for call in calls if call["stripe_version"] != "2023-10-16"] == []
