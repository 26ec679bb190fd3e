"""A chargeback on a paid guest order: Stripe's `charge.dispute.*` webhooks (sent by the local
Stripe-compatible server to a live server) are recorded on the payment, emit `payment_disputed`, and
never change the order or its stock."""

import pytest
from django.apps import apps

from apps.checkout.models import Order
from apps.core.testing import wait_for

pytestmark = pytest.mark.django_db(transaction=True)

SECRET = "whsec_test_disputes"
ADDRESS = {"line1": "1 Main St", "city": "Austin", "state": "TX", "zip": "78701", "country": "US"}



def test_a_dispute_is_recorded_on_the_payment_and_never_changes_stock(client, live_server, local_stripe, settings,
                                                                     make_product, make_cart, on_hand):
    # given: a paid order
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    product = make_product(price="40.00", stock=5)
    cart = make_cart([(product, 2)])
    response = client.post("/api/v2/checkout/guest", {
        "cart_id": cart.id, "email": "a@example.com", "shipping_address": ADDRESS,
        "payment_method_id": "pm_card_visa"}, content_type="application/json")
    assert response.status_code == 201
    order = Order.objects.get()
    assert on_hand(product) == 3
    local_stripe.webhook_endpoint(f"{live_server.url}/webhooks/stripe/guest-checkout", SECRET)
    disputes = apps.get_model("payments", "Dispute").objects
    outbox = apps.get_model("events", "OutboxEvent").objects

    # when: the cardholder disputes the charge
    dispute = local_stripe.dispute(order.charge_id, reason="product_not_received")
    wait_for(lambda: disputes.filter(dispute_id=dispute["id"]).exists())

    # then
    recorded = disputes.select_related("payment").get()
    assert recorded.payment.order_id == order.id and recorded.charge_id == order.charge_id
    assert (recorded.status, recorded.reason, str(recorded.amount)) == ("needs_response", "product_not_received",
                                                                        "80.00")
    assert recorded.evidence_due_by is not None and recorded.closed_at is None
    [event] = outbox.filter(topic="analytics.events", payload__event="payment_disputed")
    assert event.payload["properties"]["order_id"] == order.id
    assert event.payload["properties"]["dispute_id"] == dispute["id"]
    order.refresh_from_db()
    assert order.status == "paid" and on_hand(product) == 3

    # when: Stripe closes it (lost)
    local_stripe.dispute_close(dispute["id"], "lost")
    wait_for(lambda: disputes.get().closed_at is not None)

    # then: still money only
    assert disputes.get().status == "lost"
    assert outbox.filter(topic="analytics.events", payload__event="payment_disputed").count() == 1
    order.refresh_from_db()
    assert order.status == "paid" and on_hand(product) == 3
