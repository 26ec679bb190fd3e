"""Never paid without money: an order becomes `paid` only when its PaymentIntent `succeeded`. Every status
Stripe can report for a confirmed intent is driven through the local Stripe-compatible server and the
checkout API; only `succeeded` pays, the in-flight ones leave the order pending (202), the failed ones fail it
(402, stock released)."""
import pytest

from apps.checkout.models import Order
from apps.checkout.services.orders import order_mark_paid
from apps.checkout.testing import GuestCheckoutCaller, OrderFactory
from apps.payments.public import payment_details
from apps.payments.testing import PaymentFactory

pytestmark = pytest.mark.django_db

URL = "/api/v2/checkout/guest"
ADDRESS = {"line1": "1 Main St", "city": "Austin", "state": "TX", "zip": "78701", "country": "US"}


@pytest.fixture
def checkout(client, make_product, make_cart):
    product = make_product(price="24.99", stock=3)
    cart = make_cart([(product, 2)])
    body = {"cart_id": cart.id, "email": "a@example.com", "shipping_address": ADDRESS,
            "payment_method_id": "pm_card_visa"}

    post = GuestCheckoutCaller(client, body)
    post.product = product
    return post


@pytest.mark.parametrize(("intent_status", "http_status", "order_status", "stock_left"), [
    ("succeeded", 201, "paid", 1),
    ("requires_action", 202, "pending", 1),
    ("processing", 202, "pending", 1),
    ("requires_capture", 202, "pending", 1),
    ("requires_payment_method", 402, "payment_failed", 3),
    ("canceled", 402, "payment_failed", 3),
])
def test_only_a_succeeded_intent_pays_the_order(checkout, local_stripe, on_hand, intent_status, http_status,
                                                order_status, stock_left):
    # given: Stripe will report this status for the confirmation
    local_stripe.next_intent_status(intent_status)
    # when
    response = checkout()
    # then
    assert response.status_code == http_status, response.content
    order = Order.objects.get()
    assert order.status == order_status
    assert on_hand(checkout.product) == stock_left
    [intent] = local_stripe.intents()
    assert intent["status"] == intent_status
    payment = payment_details(order_id=order.id)
    assert payment.intent_id == intent["id"]
    assert (payment.status == "succeeded") == (intent_status == "succeeded")
    if http_status == 202:
        assert response.json()["status"] == intent_status
        assert response.json()["order_id"] == order.id
        assert order.paid_at is None
    if http_status == 402:
        assert response.json()["error"] == "PAYMENT_DECLINED"


@pytest.mark.parametrize("intent_status", ["requires_action", "processing", "requires_capture"])
def test_order_mark_paid_refuses_an_order_whose_intent_has_not_succeeded(checkout, local_stripe, intent_status):
    # given: an order left pending by an intent in flight
    local_stripe.next_intent_status(intent_status)
    assert checkout().status_code == 202
    order = Order.objects.get()
    # when: any code path (a stale webhook handler, the expiry job, a bug) tries to mark it paid
    result = order_mark_paid(order_id=order.id, intent_id=local_stripe.intents()[0]["id"])
    # then
    assert result.status == "pending"
    order.refresh_from_db()
    assert order.status == "pending" and order.paid_at is None


def test_order_mark_paid_refuses_an_order_without_a_payment(make_product, make_cart, checkout, local_stripe):
    # given: an order whose payment handoff never reached Stripe (gateway outage)
    local_stripe.fail("502", count=4)
    assert checkout().status_code == 502
    order = Order.objects.get()
    # when
    order_mark_paid(order_id=order.id, intent_id="pi_made_up")
    # then
    order.refresh_from_db()
    assert order.status == "pending"


def test_a_processing_payment_is_paid_once_the_retry_finds_it_succeeded(checkout, local_stripe):
    # given: the first answer was "processing"
    local_stripe.next_intent_status("processing")
    assert checkout().status_code == 202
    [intent] = local_stripe.intents()
    # when: Stripe settles it, and the client asks again (a new Idempotency-Key)
    intent.update(status="succeeded", amount_received=intent["amount"])
    response = checkout(headers={"Idempotency-Key": "second"})
    # then: the intent was retrieved, not created again
    assert response.status_code == 201
    assert Order.objects.get().status == "paid"
    assert len(local_stripe.intents()) == 1
    assert local_stripe.call_count("GET", f"/v1/payment_intents/{intent['id']}") == 1


def test_an_intent_canceled_at_stripe_fails_the_pending_order(client, checkout, local_stripe, settings, on_hand):
    # given: an order waiting for 3-D Secure
    settings.STRIPE_WEBHOOK_SECRET = "whsec_test_canceled"
    assert checkout(payment_method_id="pm_card_authenticationRequired").status_code == 202
    [intent] = local_stripe.intents()
    # when: the intent is cancelled at Stripe (dashboard, or our expiry) and its webhook arrives
    local_stripe.store.intent_cancel(intent["id"])
    payload, signature, _ = local_stripe.signed_event("payment_intent.canceled", dict(intent), "whsec_test_canceled")
    delivered = client.post("/webhooks/stripe/guest-checkout", payload, content_type="application/json",
                            headers={"Stripe-Signature": signature})
    # then
    assert delivered.status_code == 200
    assert Order.objects.get().status == "payment_failed"
    assert on_hand(checkout.product) == 3
    assert payment_details(order_id=Order.objects.get().id).failure_code == "payment_canceled"


@pytest.mark.parametrize(("named", "expected"), [
    ({}, ("ch_from_checkout", "card", "Visa •••• 4242")),  # a webhook naming neither keeps the order's
    ({"charge_id": "ch_from_webhook", "payment_method_type": "apple_pay", "payment_method_label": "Apple Pay"},
     ("ch_from_webhook", "apple_pay", "Apple Pay")),
])
def test_order_mark_paid_writes_the_charge_and_method_it_names_and_keeps_the_rest(named, expected):
    # given: a pending order with a payment that took the money
    order = OrderFactory(status=Order.Status.PENDING, charge_id="ch_from_checkout", payment_method_type="card",
                         payment_method_label="Visa •••• 4242")
    PaymentFactory(order_id=order.id, status="succeeded")
    # when
    paid = order_mark_paid(order_id=order.id, intent_id="pi_webhook_1", **named)
    # then: the row and the returned order agree
    stored = Order.objects.get(id=order.id)
    for row in (stored, paid):
        assert row.status == Order.Status.PAID and row.payment_intent_id == "pi_webhook_1"
        assert (row.charge_id, row.payment_method_type, row.payment_method_label) == expected
    assert stored.paid_at is not None
