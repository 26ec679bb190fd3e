"""One order's whole life through HTTP with real Kafka events, emails and refunds at the local Stripe server:
guest checkout → merchant fulfils → delivered → shopper returns part → warehouse receives (one item
line damaged) → refund. Stock ends where the undamaged returned units put it."""
import pytest

from apps.catalog.testing import MerchantFactory
from apps.checkout.models import Order
from apps.checkout.testing import send_queued_emails
from apps.events.public import ORDERS_EVENTS

from .broker import consume, relay_outbox
from .orders_after_payment import bearer, merchant_token

ADDRESS = {"line1": "1 Main St", "city": "Austin", "state": "TX", "zip": "78701", "country": "US"}


@pytest.fixture
def returns_ready(settings, tmp_path):
    settings.SELF_SERVICE_RETURNS_ENABLED = True
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.LABEL_PROVIDER = "local_pdf"


@pytest.mark.kafka
@pytest.mark.django_db(transaction=True)
def test_order_placed_fulfilled_delivered_returned_received_refunded(
        kafka_broker, client, local_stripe, make_product, on_hand, settings, returns_ready, mailoutbox):
    lamp = make_product(price="40.00", stock=10, merchant=MerchantFactory(slug="merchant-a"))
    kettle = make_product(price="15.00", stock=5, merchant=MerchantFactory(slug="merchant-a"))
    merchant = bearer(merchant_token("merchant-a"))

    # a guest buys 2 lamps and 1 kettle
    cart = client.post("/api/v1/carts", {"items": [{"product_id": lamp.id, "quantity": 2},
                                                   {"product_id": kettle.id, "quantity": 1}]},
                       content_type="application/json").json()
    placed = client.post("/api/v2/checkout/guest", {"cart_id": cart["cart_id"], "email": "ann@example.com",
                                                     "shipping_address": ADDRESS, "payment_method_id": "pm_card_visa"},
                         content_type="application/json")
    assert placed.status_code == 201, placed.content
    order_id, token = placed.json()["order_id"], placed.json()["confirmation_token"]
    assert (on_hand(lamp), on_hand(kettle)) == (8, 4)

    # the merchant sees it to ship and ships everything in one parcel, then marks it delivered
    (listed,) = client.get("/api/v1/merchant/orders?status=paid", headers=merchant).json()["orders"]
    assert listed["order_id"] == order_id
    lines = {line["product_id"]: line["order_line_id"] for line in listed["lines"]}
    shipped = client.post(f"/api/v1/merchant/orders/{order_id}/fulfillments", {
        "lines": [{"order_line_id": int(lines[lamp.id]), "quantity": 2},
                  {"order_line_id": int(lines[kettle.id]), "quantity": 1}],
        "carrier": "UPS", "tracking_number": "1Z999AA10123456784"},
        content_type="application/json", headers=merchant)
    assert shipped.status_code == 201 and shipped.json()["order_status"] == "shipped"
    delivered = client.post(f"/api/v1/merchant/orders/{order_id}/fulfillments/{shipped.json()['fulfillment_id']}"
                            "/delivered", headers=merchant)
    assert delivered.json()["order_status"] == "delivered"

    # the guest returns everything; the warehouse receives it and finds the kettle damaged
    started = client.post("/api/v1/returns", {
        "order_id": order_id, "email": "ann@example.com", "confirmation_token": token,
        "items": [{"order_line_id": lines[lamp.id], "quantity": 2, "reason": "defective"},
                  {"order_line_id": lines[kettle.id], "quantity": 1, "reason": "defective"}]},
        content_type="application/json")
    assert started.status_code == 201, started.content
    return_id = started.json()["return_id"]
    received = client.post(f"/api/v1/returns/{return_id}/status",
                           {"status": "received", "damaged_order_line_ids": [lines[kettle.id]]},
                           content_type="application/json",
                           headers={"X-Service-Auth": f"Bearer {settings.SERVICE_AUTH_TOKENS[0]}"})

    # then: refunded at Stripe, stock back, the order delivered with its events on Kafka
    assert received.status_code == 200 and received.json()["status"] == "refunded"
    (stripe_refund,) = local_stripe.store.refunds.values()
    assert stripe_refund["amount"] == 9500
    assert (on_hand(lamp), on_hand(kettle)) == (10, 4)
    assert Order.objects.get(id=order_id).status == Order.Status.DELIVERED
    relay_outbox()
    events = consume(kafka_broker.bootstrap, ORDERS_EVENTS, lambda event: event.get("order_id") == order_id,
                     settle_seconds=2)
    assert [event["event_type"] for event in events] == [
        "order_paid", "order_fulfillment_created", "order_shipped", "order_delivered", "order_refunded"]
    assert events[-1]["amount"] == "95.00" and events[-1]["refund_id"] == stripe_refund["id"]
    assert len({event["event_id"] for event in events}) == 5 and all(event["occurred_at"] for event in events)

    # and the shopper was told at every step (the worker's sends, run here by calling the task)
    send_queued_emails()
    assert [message.to for message in mailoutbox] == [["ann@example.com"]] * 5
    subjects = [message.subject for message in mailoutbox]
    assert all(order_id in subject for subject in subjects)
    assert "confirmed" in subjects[0] and "shipped" in subjects[1] and "delivered" in subjects[2]
    assert "return label" in subjects[3] and return_id in mailoutbox[3].body
    assert subjects[4].startswith("Refund of $95.00")
