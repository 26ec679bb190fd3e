"""Webhook deliveries are an audit trail: in the ops admin (/admin/) and the merchant portal (/merchant/) they
can be read but not added, edited or deleted, whatever the user's permissions (superusers included); the
endpoint's "Send test webhook" action still queues a delivery. PagerDuty events and digest deliveries (ops
admin only) are the same kind of record and get the same treatment."""
import json
from datetime import date

import pytest
from django.contrib.auth.models import Permission

from apps.catalog.testing import MerchantMembershipFactory
from apps.core.testing import UserFactory
from apps.inventory.models import DigestDelivery, PagerDutyEvent, WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db
BODY = json.dumps({"event": "inventory.low_stock", "product_id": "prod_1"})
LIST = "/admin/inventory/webhookdelivery/"


@pytest.fixture
def delivery(merchant) -> WebhookDelivery:
    endpoint = WebhookEndpoint.objects.create(merchant_id=merchant.id, url="https://hooks.merchant.example/x",
                                              secret="whsec_audit_secret_123")
    return WebhookDelivery.objects.create(event_id="evt_audit_1", endpoint=endpoint, merchant_id=merchant.id,
                                          body=BODY, status="failed", attempts=3, last_status_code=500)


@pytest.fixture
def inventory_staff(staff_client, staff_user):
    """Staff holding every inventory permission, delete and change of deliveries included."""
    staff_user.user_permissions.set(Permission.objects.filter(content_type__app_label="inventory"))
    return staff_client


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def tampered(delivery: WebhookDelivery) -> dict:
    return {"event_id": delivery.event_id, "event_type": "inventory.test", "alert_id": "", "body": "{}",
            "status": "delivered", "attempts": "1", "merchant_id": delivery.merchant_id,
            "endpoint": delivery.endpoint_id,
            "attempt_log-TOTAL_FORMS": "0", "attempt_log-INITIAL_FORMS": "0"}


def unchanged(delivery: WebhookDelivery) -> bool:
    row = WebhookDelivery.objects.filter(pk=delivery.pk).values("status", "body", "attempts", "event_type").first()
    return row == {"status": "failed", "body": BODY, "attempts": 3, "event_type": "inventory.low_stock"}


@pytest.mark.parametrize("user", ["inventory_staff", "superuser_client"])
def test_ops_admin_refuses_to_edit_or_delete_a_delivery(request, user, delivery):
    client = request.getfixturevalue(user)
    change, delete = f"{LIST}{delivery.pk}/change/", f"{LIST}{delivery.pk}/delete/"

    edited = client.post(change, tampered(delivery))
    deleted = client.post(delete, {"post": "yes"})
    bulk = client.post(LIST, {"action": "delete_selected", "_selected_action": [delivery.pk], "post": "yes"})
    added = client.post(f"{LIST}add/", tampered(delivery) | {"event_id": "evt_forged"})

    assert (edited.status_code, deleted.status_code, added.status_code) == (403, 403, 403)
    assert bulk.status_code in (200, 302)  # "no action selected": delete_selected is not offered
    assert unchanged(delivery)
    assert list(WebhookDelivery.objects.values_list("event_id", flat=True)) == ["evt_audit_1"]


def test_ops_admin_still_shows_the_delivery_read_only(inventory_staff, delivery):
    listing = inventory_staff.get(LIST)
    page = inventory_staff.get(f"{LIST}{delivery.pk}/change/")

    assert listing.status_code == 200 and "evt_audit_1" in listing.content.decode()
    html = page.content.decode()
    assert page.status_code == 200 and '<pre class="payload">' in html
    assert 'name="status"' not in html and 'name="body"' not in html and 'name="_save"' not in html
    assert 'delete_selected' not in listing.content.decode()


def test_portal_refuses_to_edit_or_delete_a_delivery(client, merchant, delivery):
    client.force_login(MerchantMembershipFactory(merchant=merchant, user__username="merchant").user)
    base = f"/merchant/inventory/webhookdelivery/{delivery.pk}"

    assert client.post(f"{base}/change/", tampered(delivery)).status_code == 403
    assert client.post(f"{base}/delete/", {"post": "yes"}).status_code == 403
    assert unchanged(delivery)


def test_send_test_webhook_still_queues_a_delivery_from_the_ops_admin(inventory_staff, delivery):
    endpoint = delivery.endpoint

    response = inventory_staff.post("/admin/inventory/webhookendpoint/", {
        "action": "send_test_webhook", "_selected_action": [endpoint.pk]})

    assert response.status_code == 302
    assert WebhookDelivery.objects.filter(event_type="inventory.test", endpoint=endpoint).count() == 1


# --- PagerDuty events and digest deliveries: the same audit trail --------------------------------------

def pagerduty_event() -> PagerDutyEvent:
    return PagerDutyEvent.objects.create(alert_id="alert_audit_1", action="trigger", dedup_key="stock:prod_1",
                                         payload={"summary": "prod_1 low"}, status="failed", attempts=3,
                                         last_error="HTTP 500")


def digest_delivery() -> DigestDelivery:
    return DigestDelivery.objects.create(day=date(2026, 12, 1), recipient="ops@vantage.example", status="failed",
                                         item_count=4, attempts=3, last_error="SMTP 451")


RECORDS = {
    "pagerdutyevent": (pagerduty_event, {"alert_id": "forged", "action": "resolve", "dedup_key": "stock:prod_1",
                                         "payload": "{}", "status": "sent", "attempts": "1", "last_error": ""}),
    "digestdelivery": (digest_delivery, {"day": "2026-12-01", "recipient": "forged@vantage.example",
                                         "status": "sent", "item_count": "0", "attempts": "1", "last_error": ""}),
}


def record_row(record) -> dict:
    return type(record).objects.filter(pk=record.pk).values().first()


@pytest.mark.parametrize("model_name", list(RECORDS))
@pytest.mark.parametrize("user", ["inventory_staff", "superuser_client"])
def test_ops_admin_refuses_to_edit_delete_or_add_pagerduty_and_digest_records(request, user, model_name):
    client = request.getfixturevalue(user)
    make, forged = RECORDS[model_name]
    record = make()
    before = record_row(record)
    listing = f"/admin/inventory/{model_name}/"

    edited = client.post(f"{listing}{record.pk}/change/", forged)
    deleted = client.post(f"{listing}{record.pk}/delete/", {"post": "yes"})
    bulk = client.post(listing, {"action": "delete_selected", "_selected_action": [record.pk], "post": "yes"})
    added = client.post(f"{listing}add/", forged)

    assert (edited.status_code, deleted.status_code, added.status_code) == (403, 403, 403)
    assert bulk.status_code in (200, 302)  # "no action selected": delete_selected is not offered
    assert record_row(record) == before
    assert type(record).objects.count() == 1


@pytest.mark.parametrize("model_name", list(RECORDS))
def test_ops_admin_still_shows_pagerduty_and_digest_records_read_only(inventory_staff, model_name):
    make, _ = RECORDS[model_name]
    record = make()
    listing_url = f"/admin/inventory/{model_name}/"

    listing = inventory_staff.get(listing_url)
    page = inventory_staff.get(f"{listing_url}{record.pk}/change/")

    assert listing.status_code == 200 and "delete_selected" not in listing.content.decode()
    html = page.content.decode()
    assert page.status_code == 200 and record.last_error in html
    assert 'name="status"' not in html and 'name="_save"' not in html and "/delete/" not in html
