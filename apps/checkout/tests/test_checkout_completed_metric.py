"""`checkout_completed` and `checkout_completion_duration_seconds` (Grafana's conversion panels): counted
once an order is paid for good, after its transaction committed, with the duration taken from the session
the completion just wrote (no read of its own: test_checkout_cost.py pins the round trips); and the session
a one-call checkout completes."""
import json

import pytest
from prometheus_client import REGISTRY

from apps.checkout.sessions import EXPIRY_INDEX, trail_key
from apps.core.redis import get_redis

pytestmark = pytest.mark.django_db(transaction=True)

ADDRESS = {"line1": "1 Main St", "city": "Austin", "state": "TX", "zip": "78701", "country": "US"}


def completions(settings) -> tuple[float, float]:
    counted = REGISTRY.get_sample_value("checkout_completed_total", {"flow": "guest_v2",
                                                                     "region": settings.DEPLOY_REGION}) or 0.0
    timed = REGISTRY.get_sample_value("checkout_completion_duration_seconds_count", {"flow": "guest_v2"}) or 0.0
    return counted, timed


def checkout(client, cart, payment_method_id: str):
    body = {"cart_id": cart.id, "email": "metric@example.com", "shipping_address": ADDRESS,
            "payment_method_id": payment_method_id}
    return client.post("/api/v2/checkout/guest", body, content_type="application/json")


def test_a_paid_checkout_counts_one_completion_with_its_duration(client, local_stripe, make_product, make_cart,
                                                                 settings):
    # given
    cart = make_cart([(make_product(), 1)])
    before = completions(settings)
    # when
    response = checkout(client, cart, "pm_card_visa")
    # then
    assert response.status_code == 201, response.content
    assert completions(settings) == (before[0] + 1, before[1] + 1)
    session = client.get(f"/api/v2/checkout/guest/session/{response.json()['session_id']}",
                         headers={"Authorization": f"Bearer {response['X-Guest-Session-Token']}"})
    assert session.json()["order_id"] == response.json()["order_id"]


def test_a_declined_checkout_counts_no_completion(client, local_stripe, make_product, make_cart, settings):
    # given
    cart = make_cart([(make_product(), 1)])
    before = completions(settings)
    # when
    response = checkout(client, cart, "pm_card_chargeDeclined")
    # then
    assert response.status_code == 402, response.content
    assert completions(settings) == before


def test_a_one_call_checkout_leaves_its_session_completed_out_of_the_abandonment_index(
        client, local_stripe, make_product, make_cart, settings):
    # given
    cart = make_cart([(make_product(), 1)])
    # when: the session is opened and completed in this one request (written without a read)
    response = checkout(client, cart, "pm_card_visa")
    # then
    assert response.status_code == 201, response.content
    session_id, order_id = response.json()["session_id"], response.json()["order_id"]
    redis = get_redis()
    stored, trail = (json.loads(redis.get(key)) for key in (session_id, trail_key(session_id)))
    assert stored == trail
    assert (stored["order_id"], stored["last_step"], stored["cart_id"]) == (order_id, "completed", cart.id)
    assert stored["payment_intent_id"].startswith("pi_") and stored["email"] == "metric@example.com"
    assert redis.zscore(EXPIRY_INDEX, session_id) is None
    assert settings.GUEST_SESSION_TTL_SECONDS - 5 <= redis.ttl(session_id) <= settings.GUEST_SESSION_TTL_SECONDS
