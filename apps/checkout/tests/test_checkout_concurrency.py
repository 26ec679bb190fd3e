"""Concurrency through a live server and real threads: one Idempotency-Key fired 20 times at once,
and 50 shoppers racing for 10 units of one product."""
import threading

import pytest
import requests

from apps.checkout.models import Order

pytestmark = pytest.mark.django_db(transaction=True)

ADDRESS = {"line1": "1 Main St", "city": "Austin", "state": "TX", "zip": "78701", "country": "US"}


def fire(url: str, bodies_and_headers: list[tuple[dict, dict]]) -> list[requests.Response]:
    """POST every (body, headers) at the same moment, one thread each."""
    barrier = threading.Barrier(len(bodies_and_headers))
    responses: list = [None] * len(bodies_and_headers)

    def send(index: int, body: dict, headers: dict) -> None:
        barrier.wait()
        responses[index] = requests.post(url, json=body, headers=headers, timeout=60)

    threads = [threading.Thread(target=send, args=(i, body, headers))
               for i, (body, headers) in enumerate(bodies_and_headers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


def test_twenty_concurrent_posts_with_one_key_make_one_order_and_one_intent(live_server, local_stripe, behind_proxy,
                                                                            make_product, make_cart):
    # given
    cart = make_cart([(make_product(price="67.25", stock=5), 1)])
    body = {"cart_id": cart.id, "email": "double.click@example.com", "shipping_address": ADDRESS,
            "payment_method_id": "pm_stripe_5a4b3c2d"}
    requests_ = [(body, {"Idempotency-Key": "idk_concurrent_001", "X-Forwarded-For": f"203.0.113.{i}"})
                 for i in range(20)]
    # when
    responses = fire(f"{live_server.url}/api/v2/checkout/guest", requests_)
    # then: one order, one PaymentIntent; every answer is that order or "in progress, retry"
    statuses = [r.status_code for r in responses]
    assert set(statuses) <= {201, 409}, statuses
    assert Order.objects.count() == 1
    order = Order.objects.get()
    assert order.status == "paid"
    assert {r.json()["order_id"] for r in responses if r.status_code == 201} == {order.id}
    assert {r.json()["error"] for r in responses if r.status_code == 409} <= {"IDEMPOTENCY_KEY_IN_USE"}
    assert len(local_stripe.intents()) == 1
    assert local_stripe.call_count("POST", "/v1/payment_intents") == 1
    # and: a retry now replays the order
    replay = requests.post(f"{live_server.url}/api/v2/checkout/guest", json=body,
                           headers={"Idempotency-Key": "idk_concurrent_001", "X-Forwarded-For": "203.0.113.99"},
                           timeout=30)
    assert replay.status_code == 201 and replay.json()["order_id"] == order.id


def test_fifty_shoppers_racing_for_ten_units_make_exactly_ten_orders(wide_live_server, local_stripe, behind_proxy,
                                                                     make_product, make_cart, on_hand):
    # given: 10 units, 50 carts each holding one
    product = make_product(price="19.99", stock=10)
    carts = [make_cart([(product, 1)]) for _ in range(50)]
    requests_ = [({"cart_id": cart.id, "email": f"shopper{i}@example.com", "shipping_address": ADDRESS,
                   "payment_method_id": "pm_card_visa"}, {"X-Forwarded-For": f"198.51.100.{i}"})
                 for i, cart in enumerate(carts)]
    # when
    responses = fire(f"{wide_live_server}/api/v2/checkout/guest", requests_)
    # then: ten orders, stock exactly zero, everyone else told which item ran out
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] * 10 + [409] * 40, statuses
    assert {r.json()["error"] for r in responses if r.status_code == 409} == {"OUT_OF_STOCK"}
    assert all(r.json()["items"] == [product.id] for r in responses if r.status_code == 409)
    assert Order.objects.filter(status="paid").count() == 10 and Order.objects.count() == 10
    assert on_hand(product) == 0
    assert len(local_stripe.intents()) == 10
