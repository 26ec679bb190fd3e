"""Orders left pending when Stripe's webhook was lost: the 10-minute beat job asks Stripe where the intent of
each order pending for more than 15 minutes stands and settles it (paid / payment_failed), counted in
/metrics; the expiry cancels an intent still waiting for the shopper before giving the order up."""
from datetime import timedelta

import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from prometheus_client import REGISTRY

from apps.checkout.models import Cart, Order
from apps.checkout.services.orders import orders_pending_expire
from apps.checkout.tasks import settle_pending_orders

pytestmark = pytest.mark.django_db

ADDRESS = {"line1": "1 Main St", "city": "Austin", "state": "TX", "zip": "78701", "country": "US"}


@pytest.fixture
def pending_order(client, local_stripe, make_product, make_cart):
    """A 3-D Secure checkout answered 202 sixteen minutes ago; no webhook endpoint is configured (lost)."""
    product = make_product(price="15.00", stock=4)
    cart = make_cart([(product, 3)])
    response = client.post("/api/v2/checkout/guest", {
        "cart_id": cart.id, "email": "a@example.com", "shipping_address": ADDRESS,
        "payment_method_id": "pm_card_authenticationRequired"}, content_type="application/json")
    assert response.status_code == 202
    Order.objects.update(created_at=timezone.now() - timedelta(minutes=16))
    order = Order.objects.get()
    order.product = product
    return order


def settled(outcome: str) -> float:
    return REGISTRY.get_sample_value("checkout_pending_orders_settled_total", {"outcome": outcome}) or 0.0


def test_an_order_paid_at_stripe_whose_webhook_was_lost_is_settled_paid(pending_order, local_stripe, on_hand,
                                                                        client):
    # given: the shopper authenticated; the webhook never arrived, the page never sent the request again
    local_stripe.authenticate(local_stripe.intents()[0]["id"], "complete")
    before = settled("paid")
    # when
    outcomes = settle_pending_orders()
    # then
    assert outcomes == {"paid": 1}
    pending_order.refresh_from_db()
    assert pending_order.status == "paid" and pending_order.payment_intent_id == local_stripe.intents()[0]["id"]
    assert on_hand(pending_order.product) == 1
    assert settled("paid") == before + 1
    assert 'checkout_pending_orders_settled_total{outcome="paid"}' in client.get("/metrics").content.decode()


def test_an_order_whose_authentication_failed_is_settled_failed(pending_order, local_stripe, on_hand):
    local_stripe.authenticate(local_stripe.intents()[0]["id"], "fail")
    before = settled("payment_failed")
    assert settle_pending_orders() == {"payment_failed": 1}
    pending_order.refresh_from_db()
    assert pending_order.status == "payment_failed" and on_hand(pending_order.product) == 4
    assert Cart.objects.get(id=pending_order.cart_id).status == Cart.Status.OPEN
    assert settled("payment_failed") == before + 1


def test_an_intent_still_waiting_for_the_shopper_stays_pending(pending_order, local_stripe, on_hand):
    assert settle_pending_orders() == {"still_pending": 1}
    pending_order.refresh_from_db()
    assert pending_order.status == "pending" and on_hand(pending_order.product) == 1
    assert local_stripe.intents()[0]["status"] == "requires_action"


def test_orders_pending_for_less_than_15_minutes_are_not_looked_up(pending_order, local_stripe):
    Order.objects.update(created_at=timezone.now() - timedelta(minutes=14))
    local_stripe.authenticate(local_stripe.intents()[0]["id"], "complete")
    calls = local_stripe.call_count()
    assert settle_pending_orders() == {}
    assert local_stripe.call_count() == calls
    assert Order.objects.get().status == "pending"


def test_stripe_unreachable_leaves_the_order_pending_for_the_next_run(pending_order, local_stripe):
    local_stripe.authenticate(local_stripe.intents()[0]["id"], "complete")
    local_stripe.fail("502", count=4)
    assert settle_pending_orders() == {"gateway_unavailable": 1}
    assert Order.objects.get().status == "pending"
    assert settle_pending_orders() == {"paid": 1}


def test_expiry_cancels_the_waiting_intent_so_a_late_authentication_cannot_charge(pending_order, local_stripe,
                                                                                 on_hand):
    # when: the order is given up
    assert orders_pending_expire(older_than_seconds=0) == 1
    # then: stock back, and the intent can no longer be authenticated into a charge
    pending_order.refresh_from_db()
    assert pending_order.status == "cancelled" and on_hand(pending_order.product) == 4
    [intent] = local_stripe.intents()
    assert intent["status"] == "canceled"
    status, _ = local_stripe.store.intent_authenticate(intent["id"], "complete")
    assert status == 400 and not local_stripe.store.charges


def test_expiry_pays_an_order_stripe_charged_after_all(pending_order, local_stripe):
    local_stripe.authenticate(local_stripe.intents()[0]["id"], "complete")
    assert orders_pending_expire(older_than_seconds=0) == 0
    assert Order.objects.get().status == "paid"


def test_the_settle_job_runs_every_ten_minutes():
    task = PeriodicTask.objects.get(name="checkout.settle_pending_orders")
    assert task.task == "checkout.settle_pending_orders"
    assert (task.interval.every, task.interval.period) == (10, "minutes")


def test_an_intent_stripe_does_not_know_is_skipped_then_expired(pending_order, local_stripe, on_hand):
    # given: Stripe has no such intent (keys of another account, a test object gone)
    local_stripe.store.intents.clear()
    # when / then: the settle run goes on without it; the expiry gives the order up
    assert settle_pending_orders() == {}
    assert Order.objects.get().status == "pending"
    assert orders_pending_expire(older_than_seconds=0) == 1
    assert Order.objects.get().status == "cancelled" and on_hand(pending_order.product) == 4
