"""`checkout_completed` and `checkout_completion_duration_seconds` (Grafana's conversion panels): counted
once an order is paid for good, after its transaction committed, with the duration taken from the session
the completion just wrote (no read of its own: test_checkout_cost.py pins the round trips)."""
import pytest
from prometheus_client import REGISTRY

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
