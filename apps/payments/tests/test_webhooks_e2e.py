"""End to end: a real charge through the SDK, and the local Stripe server delivering its signed events
to the running app (live_server), as Stripe would."""
import time
from decimal import Decimal

import pytest

from apps.core.testing import wait_for
from apps.payments.models import Payment, PaymentStatus, ProcessedStripeEvent
from apps.payments.public import ChargeRequest, charge, refund

pytestmark = pytest.mark.django_db(transaction=True)

SECRET = "whsec_e2e_secret"



def test_charge_and_refund_webhooks_reach_the_app(live_server, local_stripe, settings, payment_events):
    # given Stripe knows our endpoint and secret
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    local_stripe.webhook_endpoint(f"{live_server.url}/webhooks/stripe/guest-checkout", SECRET)

    # when a guest pays and is later partly refunded
    result = charge(ChargeRequest(order_id="ord_e2e", amount=Decimal("34.99"), currency="USD",
                                  payment_method_id="pm_card_visa", confirmation_token="cnf_e2e"))
    wait_for(lambda: ProcessedStripeEvent.objects.filter(event_type="payment_intent.succeeded").exists())
    refund(order_id="ord_e2e", amount=Decimal("10.00"))
    wait_for(lambda: ProcessedStripeEvent.objects.filter(event_type="charge.refunded").exists())

    # then
    payment = Payment.objects.get(order_id="ord_e2e")
    assert payment.intent_id == result.intent_id
    assert payment.status == PaymentStatus.PARTIALLY_REFUNDED
    assert payment.amount_refunded == Decimal("10.00")
    assert payment.refunds.count() == 1
    assert {"payment_intent.created", "payment_intent.succeeded", "charge.refunded"} <= set(
        ProcessedStripeEvent.objects.values_list("event_type", flat=True))
    assert ("charge.refunded", "cnf_e2e", result.intent_id, "partially_refunded") in payment_events


def test_control_endpoint_sends_a_signed_event(live_server, local_stripe, settings):
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    Payment.objects.create(order_id="ord_ctl", intent_id="pi_ctl", amount=Decimal("5.00"), currency="USD",
                           confirmation_token="cnf_ctl")

    delivery = local_stripe.send_webhook(
        f"{live_server.url}/webhooks/stripe/guest-checkout", SECRET, "payment_intent.succeeded",
        {"id": "pi_ctl", "object": "payment_intent", "amount": 500, "amount_received": 500,
         "metadata": {"confirmation_token": "cnf_ctl"}})
    rejected = local_stripe.send_webhook(
        f"{live_server.url}/webhooks/stripe/guest-checkout", SECRET, "payment_intent.succeeded",
        {"id": "pi_ctl"}, timestamp=int(time.time()) - 600)

    assert delivery["status"] == 200
    assert rejected["status"] == 400
    assert Payment.objects.get(order_id="ord_ctl").status == PaymentStatus.SUCCEEDED
