"""3-D Secure and Stripe's webhooks: the `payment_intent.succeeded` webhook and the client's second request
both complete the pending order, whichever arrives first: one order, one charge, the sale recorded once.
The local Stripe-compatible server delivers its signed events to a live server, as Stripe does."""

import pytest
from django.apps import apps

from apps.checkout.models import Cart, Order
from apps.checkout.testing import GuestCheckoutCaller
from apps.core.testing import wait_for

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/api/v2/checkout/guest"
SECRET = "whsec_test_three_d_secure"
ADDRESS = {"line1": "1 Main St", "city": "Austin", "state": "TX", "zip": "78701", "country": "US"}



@pytest.fixture
def checkout(client, settings, local_stripe, make_product, make_cart):
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    product = make_product(price="30.00", stock=2)
    cart = make_cart([(product, 1)])
    body = {"cart_id": cart.id, "email": "a@example.com", "shipping_address": ADDRESS,
            "payment_method_id": "pm_card_authenticationRequired"}

    post = GuestCheckoutCaller(client, body)
    post.product, post.cart = product, cart
    return post


def order_status() -> str:
    return Order.objects.get().status


def payments_completed() -> int:
    outbox = apps.get_model("events", "OutboxEvent").objects
    return outbox.filter(topic="analytics.events", payload__event="payment_completed").count()


def test_webhook_first_then_the_request_again(checkout, live_server, local_stripe, on_hand):
    assert checkout("one").status_code == 202
    [intent] = local_stripe.intents()
    local_stripe.webhook_endpoint(f"{live_server.url}/webhooks/stripe/guest-checkout", SECRET)
    # when: the challenge completes; Stripe's webhook reaches us before the page's second request
    local_stripe.authenticate(intent["id"], "complete")
    wait_for(lambda: order_status() == "paid")
    calls = local_stripe.call_count()
    response = checkout("two")
    # then: the request answers the paid order without asking Stripe again
    assert response.status_code == 201 and response.json()["order_id"] == Order.objects.get().id
    assert local_stripe.call_count() == calls
    assert len(local_stripe.store.charges) == 1 and on_hand(checkout.product) == 1
    assert Order.objects.get().payment_intent_id == intent["id"]
    assert payments_completed() == 1


def test_request_first_then_the_webhook(checkout, live_server, local_stripe, on_hand):
    assert checkout("one").status_code == 202
    [intent] = local_stripe.intents()
    # when: the page's second request arrives before the webhook
    local_stripe.authenticate(intent["id"], "complete")
    assert checkout("two").status_code == 201
    paid_at = Order.objects.get().paid_at
    delivery = local_stripe.send_webhook(f"{live_server.url}/webhooks/stripe/guest-checkout", SECRET,
                                         "payment_intent.succeeded", dict(local_stripe.store.intents[intent["id"]]))
    # then: the webhook is acknowledged and changes nothing
    assert delivery["status"] == 200
    order = Order.objects.get()
    assert order.status == "paid" and order.paid_at == paid_at
    assert len(local_stripe.store.charges) == 1 and on_hand(checkout.product) == 1
    assert payments_completed() == 1


def test_failed_authentication_webhook_first_then_the_request_again(checkout, live_server, local_stripe, on_hand):
    assert checkout("one").status_code == 202
    [intent] = local_stripe.intents()
    local_stripe.webhook_endpoint(f"{live_server.url}/webhooks/stripe/guest-checkout", SECRET)
    # when: the challenge fails; the payment_failed webhook arrives first
    local_stripe.authenticate(intent["id"], "fail")
    wait_for(lambda: order_status() == "payment_failed")
    response = checkout("two")
    # then: the request still answers the authentication failure, with no new order or intent
    assert response.status_code == 402 and response.json()["decline_code"] == "AUTHENTICATION_FAILED"
    assert Order.objects.count() == 1 and len(local_stripe.intents()) == 1
    assert on_hand(checkout.product) == 2
    assert Cart.objects.get(id=checkout.cart.id).status == Cart.Status.OPEN
