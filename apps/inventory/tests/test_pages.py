"""The merchant portal registrations (thresholds, webhook endpoint with write-only secret, delivery
log) and the metrics export; the staff panel at /ops/inventory/ is the ops app's."""
import json

import pytest
from django.contrib.admin.utils import quote

from apps.catalog.testing import MerchantMembershipFactory, ProductFactory
from apps.core.merchant_portal import merchant_site
from apps.inventory.models import InventoryThreshold, StockLevel, WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def portal_client(client, merchant):
    client.force_login(MerchantMembershipFactory(merchant=merchant, user__username="merchant").user)
    return client


def test_portal_webhook_endpoint_secret_is_write_only(portal_client, merchant):
    response = portal_client.post("/merchant/inventory/webhookendpoint/add/", {
        "url": "https://hooks.merchant.example/stock", "secret": "whsec_portal_secret_123", "active": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    endpoint = WebhookEndpoint.objects.get()
    assert (endpoint.merchant_id, endpoint.secret) == (merchant.id, "whsec_portal_secret_123")

    page = portal_client.get(f"/merchant/inventory/webhookendpoint/{quote(endpoint.id)}/change/").content.decode()
    assert "whsec_portal_secret_123" not in page

    portal_client.post(f"/merchant/inventory/webhookendpoint/{quote(endpoint.id)}/change/", {
        "url": "https://hooks.merchant.example/v2", "secret": "", "active": "on"})
    endpoint.refresh_from_db()
    assert (endpoint.url, endpoint.secret) == ("https://hooks.merchant.example/v2", "whsec_portal_secret_123")


def test_portal_send_test_webhook_action_and_delivery_log(portal_client, merchant):
    endpoint = WebhookEndpoint.objects.create(merchant_id=merchant.id, url="https://hooks.merchant.example/x",
                                              secret="whsec_portal_secret_123")
    response = portal_client.post("/merchant/inventory/webhookendpoint/", {
        "action": "send_test_webhook", "_selected_action": [endpoint.id]})
    assert response.status_code == 302
    delivery = WebhookDelivery.objects.get()
    assert delivery.event_type == "inventory.test"
    log = portal_client.get("/merchant/inventory/webhookdelivery/").content.decode()
    assert delivery.event_id in log


def test_portal_shows_only_the_merchants_own_thresholds(alerts, portal_client, other_merchant):
    page = portal_client.get("/merchant/inventory/inventorythreshold/").content.decode()
    assert "HP-NC-700-BLK" in page
    assert merchant_site.is_registered(WebhookEndpoint)


def test_portal_threshold_edit_recomputes_units(alerts, portal_client):
    threshold = InventoryThreshold.objects.get(product_id="prod_headphones_nc")
    response = portal_client.post(f"/merchant/inventory/inventorythreshold/{quote(threshold.id)}/change/", {
        "threshold_type": "relative", "threshold_value": "", "threshold_percentage": "100",
        "reorder_lead_days": "10", "alert_channels": ["kafka", "email_digest"]})
    assert response.status_code == 302, response.content.decode()[:3000]
    threshold.refresh_from_db()
    assert threshold.computed_threshold_units == 85
    assert StockLevel.objects.get(product_id="prod_headphones_nc").threshold_units == 85


def test_metrics_export_products_below_threshold_by_urgency(alerts, client):
    text = client.get("/metrics").content.decode()
    assert 'inventory_products_below_threshold{urgency="critical"} 1.0' in text
    assert 'inventory_products_below_threshold{urgency="warning"} 1.0' in text
    assert 'inventory_products_below_threshold{urgency="informational"} 0.0' in text
    assert "inventory_stock_check_last_run_timestamp_seconds " in text


def test_portal_threshold_edit_with_a_missing_value_shows_the_error(alerts, portal_client):
    threshold = InventoryThreshold.objects.get(product_id="prod_headphones_nc")
    response = portal_client.post(f"/merchant/inventory/inventorythreshold/{quote(threshold.id)}/change/", {
        "threshold_type": "relative", "threshold_value": "", "threshold_percentage": "",
        "reorder_lead_days": "10", "alert_channels": ["kafka"]})
    assert response.status_code == 200
    assert "A relative threshold needs threshold_percentage" in response.content.decode()


ADD_URL = "/merchant/inventory/inventorythreshold/add/"


def test_portal_adds_a_threshold_for_one_of_the_merchants_unthresholded_products(alerts, portal_client,
                                                                                 other_merchant):
    ProductFactory(id="prod_acme_kettle", sku="ACME-KETTLE", merchant=other_merchant)
    form = portal_client.get(ADD_URL).content.decode()
    assert 'value="prod_monitor_32in"' in form
    assert 'value="prod_headphones_nc"' not in form  # already has one: change it instead
    assert 'value="prod_acme_kettle"' not in form  # another merchant's

    response = portal_client.post(ADD_URL, {"product_id": "prod_monitor_32in", "threshold_type": "absolute",
                                            "threshold_value": "40", "alert_channels": ["kafka"]})

    assert response.status_code == 302, response.content.decode()[:3000]
    threshold = InventoryThreshold.objects.get(product_id="prod_monitor_32in")
    assert (threshold.computed_threshold_units, threshold.sku) == (40, "MON-32-4K-PRO")
    assert StockLevel.objects.get(product_id="prod_monitor_32in").threshold_units == 40


def test_portal_add_refuses_the_webhook_channel_without_an_endpoint(alerts, portal_client):
    response = portal_client.post(ADD_URL, {"product_id": "prod_monitor_32in", "threshold_type": "absolute",
                                            "threshold_value": "40", "alert_channels": ["webhook"]})

    assert response.status_code == 200
    assert "The webhook channel needs a webhook_url" in response.content.decode()
    assert not InventoryThreshold.objects.filter(product_id="prod_monitor_32in").exists()


def test_portal_threshold_form_has_channel_checkboxes_and_the_webhook_url_field(alerts, portal_client):
    threshold = InventoryThreshold.objects.get(product_id="prod_headphones_nc")
    page = portal_client.get(f"/merchant/inventory/inventorythreshold/{quote(threshold.id)}/change/").content.decode()
    for channel in ("kafka", "pagerduty", "email_digest", "webhook"):
        assert f'type="checkbox" name="alert_channels" value="{channel}"' in page
    assert 'name="webhook_url"' in page and "js/alert-channels.js" in page
    assert "<textarea" not in page


def test_ticking_webhook_with_a_url_sets_up_the_endpoint_and_the_channel(alerts, portal_client, merchant):
    threshold = InventoryThreshold.objects.get(product_id="prod_headphones_nc")
    response = portal_client.post(f"/merchant/inventory/inventorythreshold/{quote(threshold.id)}/change/", {
        "threshold_type": "absolute", "threshold_value": "20", "alert_channels": ["kafka", "webhook"],
        "webhook_url": "https://hooks.merchant.example/stock", "webhook_secret": "whsec_portal_secret_123"})
    assert response.status_code == 302, response.content.decode()[:3000]
    threshold.refresh_from_db()
    assert threshold.alert_channels == ["kafka", "webhook"]
    endpoint = WebhookEndpoint.objects.get(merchant_id=merchant.id)
    assert (endpoint.url, endpoint.secret) == ("https://hooks.merchant.example/stock", "whsec_portal_secret_123")


def test_a_new_endpoint_from_the_threshold_form_needs_a_secret(alerts, portal_client):
    threshold = InventoryThreshold.objects.get(product_id="prod_headphones_nc")
    response = portal_client.post(f"/merchant/inventory/inventorythreshold/{quote(threshold.id)}/change/", {
        "threshold_type": "absolute", "threshold_value": "20", "alert_channels": ["webhook"],
        "webhook_url": "https://hooks.merchant.example/stock"})
    assert response.status_code == 200
    assert "A new webhook endpoint needs a secret" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_portal_delivery_log_shows_each_attempts_error_and_the_whole_body(portal_client, merchant):
    endpoint = WebhookEndpoint.objects.create(merchant_id=merchant.id, url="https://hooks.merchant.example/x",
                                              secret="whsec_portal_secret_123")
    long_url = "https://example.com/" + "segment/" * 40
    delivery = WebhookDelivery.objects.create(event_id="evt_portal_1", endpoint=endpoint, merchant_id=merchant.id,
                                              body=json.dumps({"product_url": long_url}), attempts=1, status="pending")
    delivery.attempt_log.create(number=1, error="connection refused")
    delivery.attempt_log.create(number=2, status_code=500, error='HTTP 500: {"error": "db down"}')

    listing = portal_client.get("/merchant/inventory/webhookdelivery/").content.decode()
    detail = portal_client.get(f"/merchant/inventory/webhookdelivery/{quote(delivery.id)}/change/").content.decode()

    assert "HTTP 500: {&quot;error&quot;: &quot;db down&quot;}" in listing
    assert long_url in detail and '<pre class="payload">' in detail  # wrapped by static/css/admin.css
    attempts = detail[detail.index('id="attempt_log-group"'):]  # every attempt, not only the last one
    assert "connection refused" in attempts and "HTTP 500: {&quot;error&quot;: &quot;db down&quot;}" in attempts
