"""With EasyPost configured, each parcel gets a Tracker and the carrier's `delivered` webhook
delivers it (local EasyPost-compatible server; webhooks signed as EasyPost signs them)."""
import hashlib
import hmac
import json

import pytest

from apps.catalog.testing import MerchantFactory, ProductFactory
from apps.checkout.models import Fulfillment, Order
from apps.checkout.tasks import create_tracker
from devtools.easypost_server import start_easypost_server

from .orders_after_payment import bearer, merchant_token, paid_order

pytestmark = pytest.mark.django_db

SECRET = "whsec_easypost_test"


@pytest.fixture
def easypost(settings):
    server, state = start_easypost_server()
    settings.EASYPOST_API_KEY = "EZTK_test_key"
    settings.EASYPOST_API_BASE = f"{state.base_url}/v2"
    settings.EASYPOST_WEBHOOK_SECRET = SECRET
    yield state
    server.shutdown()
    server.server_close()


def carrier_says(client, tracking_code: str, status: str, secret: str = SECRET):
    body = json.dumps({"id": f"evt_{status}", "object": "Event", "description": "tracker.updated",
                       "result": {"object": "Tracker", "status": status, "tracking_code": tracking_code,
                                  "shipment_id": None}}).encode()
    signature = "hmac-sha256-hex=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return client.post("/webhooks/easypost", body, content_type="application/json",
                       headers={"X-Hmac-Signature": signature})


@pytest.fixture
def shipped(client, easypost, django_capture_on_commit_callbacks):
    product = ProductFactory(merchant=MerchantFactory(slug="merchant-a"))
    order = paid_order([(product, 1)])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/merchant/orders/{order.id}/fulfillments", {
            "lines": [{"order_line_id": order.lines.get().pk, "quantity": 1}], "carrier": "USPS",
            "tracking_number": "9400100000000000000000"}, content_type="application/json",
            headers=bearer(merchant_token("merchant-a")))
    assert response.status_code == 201
    return order, response.json()["fulfillment_id"]


def test_each_parcel_gets_a_tracker(shipped, easypost):
    _, fulfillment_id = shipped

    create_tracker(fulfillment_id)

    (tracker,) = easypost.trackers.values()
    assert (tracker["tracking_code"], tracker["carrier"]) == ("9400100000000000000000", "USPS")


def test_delivered_webhook_delivers_the_parcel_and_the_order(client, shipped):
    order, fulfillment_id = shipped

    assert carrier_says(client, "9400100000000000000000", "in_transit").status_code == 200
    assert Fulfillment.objects.get(id=fulfillment_id).delivered_at is None
    assert carrier_says(client, "9400100000000000000000", "delivered").status_code == 200

    order.refresh_from_db()
    assert order.status == Order.Status.DELIVERED and order.delivered_at is not None
    assert Fulfillment.objects.get(id=fulfillment_id).delivered_at is not None


def test_mis_signed_webhook_changes_nothing(client, shipped):
    order, _ = shipped

    assert carrier_says(client, "9400100000000000000000", "delivered", secret="wrong").status_code == 400
    order.refresh_from_db()
    assert order.status == Order.Status.SHIPPED
