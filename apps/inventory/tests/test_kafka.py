"""The `inventory.alerts` event read back from the real (tansu) broker matches PR #4788's schema."""
import json
import uuid
from datetime import date, datetime

import pytest
from confluent_kafka import Consumer, TopicPartition

from apps.events.public import outbox_relay
from apps.inventory.services.stock_check import stock_check_run
from apps.inventory.services.thresholds import ThresholdSpecInput, threshold_create

from .conftest import SEED_NOW

pytestmark = [pytest.mark.django_db, pytest.mark.kafka]


def read_topic(bootstrap: str, topic: str, timeout_seconds: float = 20.0) -> list[dict]:
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"inventory-test-{uuid.uuid4()}",
                         "auto.offset.reset": "earliest", "enable.auto.commit": False,
                         "session.timeout.ms": 6000})
    try:
        metadata = consumer.list_topics(topic, timeout=10)
        partitions = [TopicPartition(topic, p, 0) for p in metadata.topics[topic].partitions]
        consumer.assign(partitions)
        messages, deadline = [], datetime.now().timestamp() + timeout_seconds
        while datetime.now().timestamp() < deadline:
            message = consumer.poll(0.5)
            if message is None:
                if messages:
                    break
                continue
            if message.error() is None:
                messages.append({"key": message.key().decode(), "value": json.loads(message.value()),
                                 "headers": dict(message.headers() or [])})
        return messages
    finally:
        consumer.close()


def test_alert_event_on_the_broker_has_the_seed_schema(seed_catalog, kafka_broker, settings):
    threshold_create(product_id="prod_cable_usbc", merchant_scope=None, spec=ThresholdSpecInput(
        "relative", threshold_percentage=158, reorder_lead_days=7, alert_channels=["kafka"]))
    stock_check_run(now=SEED_NOW)

    relayed = outbox_relay()

    assert relayed["delivered"] >= 1
    events = [m for m in read_topic(settings.KAFKA_BOOTSTRAP_SERVERS, "inventory.alerts")
              if m["key"] == "prod_cable_usbc"]
    assert len(events) == 1
    event = events[0]["value"]
    assert event["product_id"] == "prod_cable_usbc" and isinstance(event["product_id"], str)
    assert event["sku"] == "CBL-USBC-2M"
    assert event["current_stock"] == 340 and isinstance(event["current_stock"], int)
    assert event["threshold"] == 500 and isinstance(event["threshold"], int)
    assert event["threshold_type"] == "relative"
    assert event["avg_daily_sales"] == 45.2 and isinstance(event["avg_daily_sales"], float)
    assert date.fromisoformat(event["estimated_stockout_date"]) == date(2025, 10, 22)
    assert datetime.fromisoformat(event["timestamp"].replace("Z", "+00:00")) == SEED_NOW
    assert uuid.UUID(event["event_id"])
    assert events[0]["headers"]["event_id"].decode() == event["event_id"]
    seed_fields = {"product_id", "sku", "current_stock", "threshold", "threshold_type", "avg_daily_sales",
                   "estimated_stockout_date", "timestamp"}
    # the shared outbox stamps every event with event_id and occurred_at
    assert set(event) == seed_fields | {"event_id", "occurred_at"}
