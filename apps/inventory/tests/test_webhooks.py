"""Merchant webhooks through the real HTTP client to a receiver on 127.0.0.1: the signature checks
out with an independent implementation, retries at 1/5/15 minutes reach a flaky receiver, every
attempt is logged and visible, the secret never leaves, unsafe targets are refused at send time."""
import hashlib
import hmac
import time
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from apps.inventory.models import WebhookAttempt, WebhookDelivery
from apps.inventory.services import stock_set
from apps.inventory.services.stock_check import stock_check_run
from apps.inventory.services.webhooks import webhook_deliveries_requeue_stale, webhook_delivery_attempt
from apps.inventory.tasks import deliver_webhook
from vantage.celery import app

from .conftest import SEED_NOW

pytestmark = pytest.mark.django_db

SECRET = "whsec_abc123def456"
SEED_SCHEMA = {"product_id", "sku", "current_stock", "threshold", "threshold_type", "avg_daily_sales",
               "estimated_stockout_date", "timestamp"}


def verify_signature(header: str, raw_body: bytes, secret: str, tolerance_seconds: int = 300) -> bool:
    """What a merchant writes from the docs: parse t and v1, HMAC-SHA256 "<t>.<body>", compare, check age."""
    parts = dict(item.split("=", 1) for item in header.split(","))
    expected = hmac.new(secret.encode("utf-8"), parts["t"].encode("ascii") + b"." + raw_body, hashlib.sha256)
    fresh = abs(time.time() - int(parts["t"])) <= tolerance_seconds
    return fresh and hmac.compare_digest(expected.hexdigest(), parts["v1"])


@pytest.fixture
def webhook_threshold(seed_catalog, merchant_api, receiver):
    response = merchant_api.post("/api/v1/inventory/thresholds", {
        "product_id": "prod_headphones_nc", "threshold_type": "absolute", "threshold_value": 20,
        "alert_channels": ["kafka", "webhook"], "webhook_url": receiver.url("/hooks/inventory"),
        "webhook_secret": SECRET}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def test_alert_webhook_is_signed_and_matches_the_kafka_event(webhook_threshold, receiver):
    stock_check_run(now=SEED_NOW)
    delivery = WebhookDelivery.objects.get()

    deliver_webhook.apply(args=[delivery.id])

    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    assert request["path"] == "/hooks/inventory"
    assert verify_signature(request["headers"]["X-Vantage-Signature"], request["raw"], SECRET)
    assert not verify_signature(request["headers"]["X-Vantage-Signature"], request["raw"], "whsec_wrong_secret")
    assert not verify_signature(request["headers"]["X-Vantage-Signature"], request["raw"] + b" ", SECRET)
    body = request["json"]
    kafka = apps.get_model("events", "OutboxEvent").objects.get(topic="inventory.alerts")
    assert request["headers"]["Webhook-Id"] == body["event_id"] == str(kafka.event_id)
    assert set(body) == SEED_SCHEMA | {"event_id"}
    assert {key: body[key] for key in SEED_SCHEMA} == {key: kafka.payload[key] for key in SEED_SCHEMA}
    assert body["sku"] == "HP-NC-700-BLK" and body["estimated_stockout_date"] == "2025-10-16"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 200)


def test_a_receiver_failing_twice_gets_the_third_attempt(webhook_threshold, receiver):
    receiver.statuses = [500, 503]
    stock_check_run(now=SEED_NOW)
    delivery = WebhookDelivery.objects.get()

    deliver_webhook.apply(args=[delivery.id])  # eager Celery: the retries run at once

    assert len(receiver.requests) == 3
    assert len({r["headers"]["Webhook-Id"] for r in receiver.requests}) == 1
    assert len({r["raw"] for r in receiver.requests}) == 1  # the same body every time
    attempts = list(WebhookAttempt.objects.filter(delivery=delivery).values_list("number", "status_code"))
    assert attempts == [(1, 500), (2, 503), (3, 200)]
    delivery.refresh_from_db()
    assert delivery.status == "delivered"


def test_retries_wait_one_five_and_fifteen_minutes_then_give_up(webhook_threshold, receiver):
    receiver.default_status = 500
    stock_check_run(now=SEED_NOW)
    delivery = WebhookDelivery.objects.get()

    delays = [webhook_delivery_attempt(delivery_id=delivery.id) for _ in range(4)]

    assert delays == [60, 300, 900, None]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 4)
    assert webhook_delivery_attempt(delivery_id=delivery.id) is None and len(receiver.requests) == 4


def test_every_attempt_is_visible_to_the_merchant_and_the_secret_never_is(webhook_threshold, receiver,
                                                                          merchant_api, other_merchant_api):
    receiver.statuses = [502]
    stock_check_run(now=SEED_NOW)
    deliver_webhook.apply(args=[WebhookDelivery.objects.get().id])

    deliveries = merchant_api.get("/api/v1/inventory/webhook-deliveries").json()["deliveries"]
    assert [(a["number"], a["status_code"]) for a in deliveries[0]["attempts"]] == [(1, 502), (2, 200)]
    assert all(isinstance(a["latency_ms"], int) for a in deliveries[0]["attempts"])
    assert other_merchant_api.get("/api/v1/inventory/webhook-deliveries").json()["deliveries"] == []
    endpoint = merchant_api.get("/api/v1/inventory/webhook-endpoint")
    assert endpoint.json()["has_secret"] is True and SECRET not in endpoint.content.decode()
    detail = merchant_api.get(f"/api/v1/inventory/thresholds/{webhook_threshold['threshold_id']}")
    assert SECRET not in detail.content.decode()


def test_send_test_webhook_reaches_the_endpoint(webhook_threshold, receiver, merchant_api):
    response = merchant_api.post("/api/v1/inventory/webhook-endpoint/test")
    assert response.status_code == 202
    deliver_webhook.apply(args=[WebhookDelivery.objects.get(event_type="inventory.test").id])
    assert receiver.requests[0]["json"]["test"] is True
    assert verify_signature(receiver.requests[0]["headers"]["X-Vantage-Signature"], receiver.requests[0]["raw"], SECRET)


def test_replacing_the_secret_signs_with_the_new_one(webhook_threshold, receiver, merchant_api):
    new_secret = "whsec_rotated_0123456789"
    assert merchant_api.put("/api/v1/inventory/webhook-endpoint", {"url": receiver.url("/v2"), "secret": new_secret},
                            format="json").status_code == 200
    stock_check_run(now=SEED_NOW)
    deliver_webhook.apply(args=[WebhookDelivery.objects.get().id])
    assert verify_signature(receiver.requests[0]["headers"]["X-Vantage-Signature"], receiver.requests[0]["raw"],
                            new_secret)


def test_private_targets_are_refused_again_at_send_time(webhook_threshold, receiver, settings):
    stock_check_run(now=SEED_NOW)
    delivery = WebhookDelivery.objects.get()
    settings.WEBHOOKS_ALLOW_PRIVATE_NETWORKS = False  # production rules: 127.0.0.1 over http is not allowed

    assert webhook_delivery_attempt(delivery_id=delivery.id) == 60

    assert receiver.requests == []
    attempt = WebhookAttempt.objects.get(delivery=delivery)
    assert attempt.status_code is None and attempt.error.startswith("refused")


def test_a_lost_task_is_requeued_by_the_sweeper(webhook_threshold, receiver, settings):
    stock_check_run(now=SEED_NOW)
    WebhookDelivery.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=10))
    app.conf.task_always_eager = True
    try:
        assert webhook_deliveries_requeue_stale() == 1
    finally:
        app.conf.task_always_eager = False
    assert len(receiver.requests) == 1
    assert WebhookDelivery.objects.get().status == "delivered"


def test_no_webhook_without_the_channel(seed_catalog, receiver, merchant_api):
    merchant_api.post("/api/v1/inventory/thresholds", {
        "product_id": "prod_headphones_nc", "threshold_type": "absolute", "threshold_value": 20,
        "alert_channels": ["kafka"], "webhook_url": receiver.url(), "webhook_secret": SECRET}, format="json")
    stock_set(product_id="prod_headphones_nc", quantity=1)
    stock_check_run(now=SEED_NOW)
    assert not WebhookDelivery.objects.exists()


def test_a_failed_attempt_records_the_status_and_the_start_of_the_response(webhook_threshold, receiver):
    receiver.default_status = 500
    receiver.body = b'{"error": "database   is down",\n "trace": "' + b"x" * 2000 + b'"}'
    stock_check_run(now=SEED_NOW)

    webhook_delivery_attempt(delivery_id=WebhookDelivery.objects.get().id)

    error = WebhookAttempt.objects.get().error
    assert error.startswith('HTTP 500: {"error": "database is down", "trace": "xxx')
    assert len(error) == 300


def test_a_connection_failure_says_what_the_connection_said(webhook_threshold, receiver):
    stock_check_run(now=SEED_NOW)
    receiver.close()  # nothing listens on the endpoint's port any more

    webhook_delivery_attempt(delivery_id=WebhookDelivery.objects.get().id)

    attempt = WebhookAttempt.objects.get()
    assert attempt.status_code is None
    assert attempt.error.startswith("ConnectionError: ") and "Connection refused" in attempt.error


@pytest.mark.parametrize(("body", "field", "code"), [
    ({"url": "https://hooks.example.com/inventory", "secret": "short"}, "secret", "TOO_SHORT"),
    ({"url": "https://hooks.example.com/inventory"}, "secret", "REQUIRED"),  # a first endpoint needs one
    ({"url": "https://127.0.0.1/inventory", "secret": SECRET}, "url", "UNSAFE_URL"),
])
def test_the_endpoints_errors_name_the_fields_of_its_own_body(seed_catalog, merchant_api, settings, body, field,
                                                              code):
    # given: production's network rules (loopback refused)
    settings.WEBHOOKS_ALLOW_PRIVATE_NETWORKS = False
    # when
    response = merchant_api.put("/api/v1/inventory/webhook-endpoint", body, format="json")
    # then: `url` and `secret`, as sent, not the threshold body's webhook_url / webhook_secret
    assert response.status_code == 422, response.content
    assert [(error["field"], error["code"]) for error in response.json()["errors"]] == [(field, code)]
