"""PR #4602's guest checkout samples replayed through HTTP against the local Stripe-compatible
server: bodies and headers compared field by field (ids are random, so their prefixes and shapes
are compared), plus what each sample implies for orders, stock and the guest session."""
import json
import re
from datetime import UTC, datetime, time
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.checkout.models import Order
from apps.shipping.public import Destination, shipping_options
from apps.shipping.testing import ShippingMethodFactory, ShippingZoneFactory

pytestmark = pytest.mark.django_db

SEED_TRANSIT_DAYS = (4, 6)  # the seed's shop: free shipping, delivered in 4 to 6 days, no tax


@pytest.fixture(autouse=True)
def _seed_shop_ships_free():
    """The seed's samples come from a shop that charged the subtotal: free US shipping, untaxed."""
    ShippingMethodFactory(zone=ShippingZoneFactory(name="United States", countries=["US"]), code="seed-free",
                          name="Free", price="0.00", transit_min_days=SEED_TRANSIT_DAYS[0],
                          transit_max_days=SEED_TRANSIT_DAYS[1])

URL = "/api/v2/checkout/guest"
SESSION_ID_RE = re.compile(r"^guest:sess:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
ID_RE = r"^{}_[a-z0-9]{{12}}$"

SAMPLES_201 = [
    # (request id, idempotency key, client ip, total, body) — 2025-09-10 08:14, 08:22, 08:42, 09:15
    ("req_7f3a9bc2e1d4", "idk_8a2f1bc9_001", "203.0.113.42", "47.99", {
        "cart_id": "cart_8a2f1bc9e3d7", "email": "user4827@example.com",
        "shipping_address": {"line1": "742 Evergreen Terrace", "line2": "", "city": "Springfield", "state": "IL",
                             "zip": "62704", "country": "US"},
        "payment_method_id": "pm_stripe_4f9c2a1b"}),
    ("req_6a8b0c2d4e5f", "idk_3f5a7b9c_001", "192.0.2.155", "129.50", {
        "cart_id": "cart_3f5a7b9c1d2e", "email": "shopper.test@example.com",
        "shipping_address": {"line1": "1600 Pennsylvania Ave", "line2": "Suite 200", "city": "Washington",
                             "state": "DC", "zip": "20500", "country": "US"},
        "payment_method_id": "pm_stripe_8c7b6a5d"}),
    ("req_8b0c2d4e6f7a", None, "203.0.113.112", "34.99", {
        "cart_id": "cart_7c9d1e3f5a2b", "email": "guest.checkout.test@example.com",
        "shipping_address": {"line1": "1 Infinite Loop", "city": "Cupertino", "state": "CA", "zip": "95014",
                             "country": "US"},
        "payment_method_id": "pm_stripe_9e8d7c6b"}),
    ("req_7a9b1c3d5e6f", None, "192.0.2.44", "215.00", {
        "cart_id": "cart_4d6e8f0a2b1c", "email": "edge.browser.user@example.com",
        "shipping_address": {"line1": "456 Oak Avenue", "line2": "Apt 12B", "city": "Austin", "state": "TX",
                             "zip": "78701", "country": "US"},
        "payment_method_id": "pm_stripe_6c5b4a3d"}),
]


def seed_headers(request_id: str, client_ip: str, idempotency_key: str | None) -> dict:
    headers = {"X-Request-ID": request_id, "X-Forwarded-For": client_ip, "X-Forwarded-Proto": "https",
               "Accept": "application/json", "Origin": "https://www.vantage.com",
               "Referer": "https://www.vantage.com/checkout/guest"}
    if idempotency_key:
        headers["Idempotency-Key"] = idempotency_key
    return headers


def expected_delivery(total: str) -> str:
    """The latest day of the cheapest method's window at midnight UTC: the seed's free 4-6 days, or the demo's
    Standard (free from its threshold, and faster)."""
    [cheapest, *_] = shipping_options(destination=Destination("US", "IL", "62704"), subtotal=Decimal(total),
                                      weight_grams=0, currency="USD", placed_at=timezone.now())
    assert cheapest.price == 0
    return datetime.combine(cheapest.latest_delivery, time(0), tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def assert_seed_201(response, *, request_id: str, total: str) -> dict:
    assert response.status_code == 201, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["X-Request-ID"] == request_id
    assert response["X-Trace-ID"].startswith("trace_")
    assert "no-store" in response["Cache-Control"]
    assert response["Pragma"] == "no-cache"
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    body = response.json()
    assert {"order_id", "confirmation_token", "estimated_delivery", "total_charged", "currency", "checkout_flow",
            "session_id"} <= set(body)
    for amount in (f'"subtotal":{total}', '"shipping_total":0.00', '"tax_total":0.00'):
        assert amount.encode() in response.content
    assert re.match(ID_RE.format("ord"), body["order_id"])
    assert re.match(ID_RE.format("cnf"), body["confirmation_token"])
    assert body["estimated_delivery"] == expected_delivery(total)
    assert f'"total_charged":{total}'.encode() in response.content  # a number with two decimals
    assert body["currency"] == "USD" and body["checkout_flow"] == "guest_v2"
    assert SESSION_ID_RE.match(body["session_id"])
    return body


@pytest.mark.parametrize("request_id,idempotency_key,client_ip,total,body", SAMPLES_201,
                         ids=[s[0] for s in SAMPLES_201])
def test_seed_201_samples(client, local_stripe, behind_proxy, make_product, make_cart, on_hand,
                          request_id, idempotency_key, client_ip, total, body):
    # given: the sample's cart holding one product priced at the sample's total
    product = make_product(price=total, stock=5)
    make_cart([(product, 1)], id=body["cart_id"])
    # when
    response = client.post(URL, json.dumps(body), content_type="application/json",
                           headers=seed_headers(request_id, client_ip, idempotency_key))
    # then: the response is the sample's
    created = assert_seed_201(response, request_id=request_id, total=total)
    assert response["X-RateLimit-Limit"] == "10"
    assert response["X-RateLimit-Remaining"] == "9"
    assert int(response["X-RateLimit-Reset"]) > timezone.now().timestamp()
    # and: one paid order with the sample's data, stock taken, one succeeded PaymentIntent
    order = Order.objects.get(id=created["order_id"])
    assert order.status == "paid" and order.email == body["email"]
    assert order.shipping_address == {"line2": "", **body["shipping_address"]}
    assert str(order.total) == total and order.payment_method_type == "card"
    assert order.payment_method_label and order.payment_intent_id.startswith("pi_")
    assert order.lines.get().quantity == 1 and str(order.lines.get().unit_price) == total
    assert on_hand(product) == 4
    intents = local_stripe.intents()
    assert len(intents) == 1 and intents[0]["status"] == "succeeded"
    assert intents[0]["metadata"]["cart_id"] == body["cart_id"]


def test_seed_201_replayed_with_the_same_idempotency_key(client, local_stripe, make_product, make_cart):
    # given: sample 08:14:22 already answered
    request_id, key, ip, total, body = SAMPLES_201[0]
    make_cart([(make_product(price=total), 1)], id=body["cart_id"])
    headers = seed_headers(request_id, ip, key)
    first = client.post(URL, json.dumps(body), content_type="application/json", headers=headers)
    # when: the client sends it again
    again = client.post(URL, json.dumps(body), content_type="application/json", headers=headers)
    # then: the first response, byte for byte, and still one order and one intent
    assert again.status_code == 201 and again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert Order.objects.count() == 1 and len(local_stripe.intents()) == 1


def test_seed_502_sample_then_retry_resumes_the_same_order(client, local_stripe, behind_proxy, make_product,
                                                           make_cart, on_hand):
    # given: PR #4602, 08:35:01 — Stripe keeps failing through every retry
    body = {"cart_id": "cart_9b3c5d7e1f2a", "email": "repeat.buyer@example.com",
            "shipping_address": {"line1": "221B Baker Street", "city": "Portland", "state": "OR", "zip": "97201",
                                 "country": "US"},
            "payment_method_id": "pm_stripe_1a2b3c4d"}
    product = make_product(price="82.45", stock=3)
    make_cart([(product, 1)], id=body["cart_id"])
    headers = {"X-Request-ID": "req_4f6a8b0c2d3e", "X-Forwarded-For": "198.51.100.201",
               "Accept": "application/json", "Idempotency-Key": "idk_9b3c5d7e_001"}
    local_stripe.fail("502", count=4)
    # when
    failed = client.post(URL, json.dumps(body), content_type="application/json", headers=headers)
    # then: the sample's 502
    assert failed.status_code == 502
    assert failed["Content-Type"] == "application/json; charset=utf-8"
    assert failed["X-Request-ID"] == "req_4f6a8b0c2d3e"
    assert failed["X-Trace-ID"].startswith("trace_")
    assert failed["Retry-After"] == "2"
    assert failed.json() == {
        "error": "PAYMENT_GATEWAY_UNAVAILABLE",
        "message": "Payment processing service temporarily unavailable. Please retry.",
        "retry_after_seconds": 2,
        "request_id": "req_4f6a8b0c2d3e",
    }
    pending = Order.objects.get()
    assert pending.status == "pending" and on_hand(product) == 2
    # when: the sample's automatic retry (X-Retry-Attempt: 1, same key, same body)
    retried = client.post(URL, json.dumps(body), content_type="application/json",
                          headers={**headers, "X-Retry-Attempt": "1"})
    # then: 201 for the same order; one order, one intent, stock taken once
    created = assert_seed_201(retried, request_id="req_4f6a8b0c2d3e", total="82.45")
    assert created["order_id"] == pending.id
    assert Order.objects.count() == 1 and Order.objects.get().status == "paid"
    assert len(local_stripe.intents()) == 1
    assert on_hand(product) == 2


def test_only_the_key_that_placed_the_pending_order_resumes_it_after_502(client, local_stripe, make_product,
                                                                          make_cart):
    cart = make_cart([(make_product(price="20.00"), 1)])
    body = {"cart_id": cart.id, "email": "a@example.com", "payment_method_id": "pm_card_visa",
            "shipping_address": {"line1": "1 Main St", "city": "Austin", "state": "TX", "zip": "78701",
                                 "country": "US"}}
    local_stripe.fail("502", count=4)
    assert client.post(URL, body, content_type="application/json", headers={"Idempotency-Key": "k1"}).status_code == 502

    other = client.post(URL, body, content_type="application/json", headers={"Idempotency-Key": "another-key"})
    retried = client.post(URL, body, content_type="application/json", headers={"Idempotency-Key": "k1"})

    assert other.status_code == 409 and other.json()["error"] == "CART_ALREADY_CHECKED_OUT"
    assert retried.status_code == 201
    assert Order.objects.count() == 1 and len(local_stripe.intents()) == 1


def test_declined_card_is_402_and_stock_is_released(client, local_stripe, make_product, make_cart, on_hand):
    # given
    product = make_product(price="24.99", stock=2)
    cart = make_cart([(product, 2)])
    body = {"cart_id": cart.id, "email": "a@example.com", "payment_method_id": "pm_card_chargeDeclined",
            "shipping_address": {"line1": "1 Main St", "city": "Austin", "state": "TX", "zip": "78701",
                                 "country": "US"}}
    # when
    response = client.post(URL, body, content_type="application/json")
    # then
    assert response.status_code == 402
    assert response.json()["error"] == "PAYMENT_DECLINED"
    assert Order.objects.get().status == "payment_failed"
    assert on_hand(product) == 2
    # and: the cart is open again, so another card can pay for it (a new order)
    retry = client.post(URL, {**body, "payment_method_id": "pm_card_visa"}, content_type="application/json")
    assert retry.status_code == 201
    assert on_hand(product) == 0
    assert Order.objects.filter(status="paid").count() == 1


def test_seed_session_get_sample(client, local_stripe, make_product, make_cart,
                                django_capture_on_commit_callbacks):
    # given: the session created by sample 08:14:22's checkout, with the token issued to it
    request_id, key, ip, total, body = SAMPLES_201[0]
    make_cart([(make_product(price=total), 1)], id=body["cart_id"])
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(URL, json.dumps(body), content_type="application/json",
                              headers=seed_headers(request_id, ip, key))
    token = created["X-Guest-Session-Token"]
    assert token.startswith("guest_session_tok_")
    session_id = created.json()["session_id"]
    # when: PR #4602, 08:31:12
    response = client.get(f"/api/v2/checkout/guest/session/{session_id}",
                          headers={"X-Request-ID": "req_0d2e4f6a8b1c", "Accept": "application/json",
                                   "Authorization": f"Bearer {token}"})
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["X-Request-ID"] == "req_0d2e4f6a8b1c"
    data = response.json()
    assert {k: data[k] for k in ("session_id", "cart_id", "email", "status", "shipping_address_complete",
                                 "payment_method_attached")} == {
        "session_id": session_id, "cart_id": "cart_8a2f1bc9e3d7", "email": "user4827@example.com",
        "status": "active", "shipping_address_complete": True, "payment_method_attached": True}
    assert 0 < data["ttl_remaining_seconds"] <= 900
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", data["created_at"])
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", data["last_activity"])
    assert data["order_id"] == created.json()["order_id"]


def test_seed_expired_session_sample(client):
    # PR #4602, 09:01:44 — no such session (it expired)
    response = client.get("/api/v2/checkout/guest/session/guest:sess:expired-session-uuid",
                          headers={"X-Request-ID": "req_5f7a9b1c3d4e", "Accept": "application/json"})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["X-Request-ID"] == "req_5f7a9b1c3d4e"
    assert response.json() == {"error": "SESSION_EXPIRED",
                               "message": "Guest session has expired. Please start a new checkout.",
                               "request_id": "req_5f7a9b1c3d4e"}
