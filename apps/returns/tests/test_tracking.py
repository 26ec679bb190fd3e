"""EasyPost tracker webhooks move returns along: scanned → in transit, delivered → received and
refunded; unsigned or mis-signed requests are refused."""
import hashlib
import hmac
import json

import pytest

from apps.returns.models import Return, ReturnStatus

pytestmark = pytest.mark.django_db

SECRET = "whsec_easypost_test"


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.EASYPOST_WEBHOOK_SECRET = SECRET


def _deliver(client, ret: Return, status: str, *, secret: str = SECRET):
    body = json.dumps({"id": f"evt_{status}", "object": "Event", "description": "tracker.updated",
                       "result": {"object": "Tracker", "status": status, "tracking_code": ret.label_tracking_code,
                                  "shipment_id": ret.label_shipment_id}}).encode()
    signature = "hmac-sha256-hex=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return client.post("/webhooks/easypost", body, content_type="application/json",
                       headers={"X-Hmac-Signature": signature})


def test_carrier_scans_move_the_return_and_delivery_refunds_it(returns_on, make_paid_order, create_return, client,
                                                               local_stripe):
    ret = Return.objects.get(pk=create_return(make_paid_order()).json()["return_id"])
    assert _deliver(client, ret, "pre_transit").status_code == 200
    assert Return.objects.get(pk=ret.pk).status == ReturnStatus.LABEL_CREATED
    _deliver(client, ret, "in_transit")
    assert Return.objects.get(pk=ret.pk).status == ReturnStatus.IN_TRANSIT
    _deliver(client, ret, "delivered")
    _deliver(client, ret, "in_transit")  # a late, out-of-order scan changes nothing
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.REFUNDED and ret.refunded_amount == ret.refund_estimate
    assert [(t.to_status, t.actor_id) for t in ret.transitions.all()][2:] == [
        ("in_transit", "carrier_tracking"), ("received", "carrier_tracking"), ("refunded", "refund_on_receipt")]


def test_wrongly_signed_webhook_is_refused(returns_on, make_order, create_return, client):
    ret = Return.objects.get(pk=create_return(make_order()).json()["return_id"])
    assert _deliver(client, ret, "delivered", secret="not-the-secret").status_code == 400
    assert Return.objects.get(pk=ret.pk).status == ReturnStatus.LABEL_CREATED
