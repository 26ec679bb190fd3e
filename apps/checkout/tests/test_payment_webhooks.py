"""Stripe webhooks settle guest orders found by confirmation token (the checkout's handler is
registered with the payments app), once, whichever of webhook and client retry comes first. The
local Stripe-compatible server signs and delivers the events to a live server."""
import pytest

from apps.checkout.models import Cart, Order
from apps.checkout.services.orders import orders_pending_expire

pytestmark = pytest.mark.django_db(transaction=True)

SECRET = "whsec_test_checkout"
ADDRESS = {"line1": "1 Main St", "city": "Austin", "state": "TX", "zip": "78701", "country": "US"}


@pytest.fixture
def deliver(live_server, local_stripe):
    def send(event_type: str, obj: dict) -> int:
        return local_stripe.send_webhook(f"{live_server.url}/webhooks/stripe/guest-checkout", SECRET, event_type,
                                         obj)["status"]

    return send


def intent(order: Order, status: str) -> dict:
    cents = int(order.total * 100)
    return {"id": "pi_webhook_1", "object": "payment_intent", "amount": cents, "currency": "usd", "status": status,
            "amount_received": cents if status == "succeeded" else 0,
            "latest_charge": "ch_webhook_1" if status == "succeeded" else None,
            "metadata": {"confirmation_token": order.confirmation_token, "order_id": order.id,
                         "checkout_type": "guest", "cart_id": order.cart_id}}


@pytest.fixture
def pending_order(client, local_stripe, settings, make_product, make_cart, on_hand):
    """A checkout whose payment handoff hit a gateway outage: the order is pending, stock reserved."""
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    product = make_product(price="82.45", stock=3)
    cart = make_cart([(product, 1)])
    body = {"cart_id": cart.id, "email": "a@example.com", "shipping_address": ADDRESS,
            "payment_method_id": "pm_card_visa"}
    local_stripe.fail("502", count=4)
    assert client.post("/api/v2/checkout/guest", body, content_type="application/json",
                       headers={"Idempotency-Key": "idk_outage"}).status_code == 502
    order = Order.objects.get()
    assert order.status == "pending" and on_hand(product) == 2
    return order, body, product


def test_succeeded_webhook_marks_the_pending_order_paid_and_the_retry_returns_it(client, local_stripe, deliver,
                                                                                  pending_order):
    order, body, _ = pending_order
    # when
    assert deliver("payment_intent.succeeded", intent(order, "succeeded")) == 200
    # then
    order.refresh_from_db()
    assert order.status == "paid" and order.payment_intent_id == "pi_webhook_1"
    # and: the client's retry answers with the same order and charges nothing more
    calls_before = local_stripe.call_count("POST")
    retried = client.post("/api/v2/checkout/guest", body, content_type="application/json",
                          headers={"Idempotency-Key": "idk_outage"})
    assert retried.status_code == 201 and retried.json()["order_id"] == order.id
    assert local_stripe.call_count("POST") == calls_before


def test_failed_webhook_releases_the_stock_once(deliver, pending_order, on_hand):
    order, _, product = pending_order
    for _ in range(2):
        assert deliver("payment_intent.payment_failed", intent(order, "requires_payment_method")) == 200
    order.refresh_from_db()
    assert order.status == "payment_failed"
    assert on_hand(product) == 3


def test_stale_pending_order_is_cancelled_with_its_stock_released(pending_order, on_hand):
    # given: the shopper never retried after the outage
    order, _, product = pending_order
    # when: the beat task's service runs past the timeout
    cancelled = orders_pending_expire(older_than_seconds=0)
    # then
    order.refresh_from_db()
    assert cancelled == 1 and order.status == "cancelled"
    assert on_hand(product) == 3
    assert Cart.objects.get(id=order.cart_id).status == "open"


def test_payment_succeeding_after_cancellation_leaves_the_order_cancelled(deliver, pending_order, on_hand):
    # given: a cancelled stale order
    order, _, _ = pending_order
    orders_pending_expire(older_than_seconds=0)
    # when: Stripe reports a late success for it
    assert deliver("payment_intent.succeeded", intent(order, "succeeded")) == 200
    # then: the order stays cancelled (its stock is not taken twice); reconciliation owns the payment
    order.refresh_from_db()
    assert order.status == "cancelled"
    assert on_hand(pending_order[2]) == 3
