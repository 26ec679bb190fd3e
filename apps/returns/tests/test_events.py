"""`returns.events` on the real Kafka-compatible broker: one message per state change, keyed by
order id (so one order's changes stay in order), delivered through the outbox relay."""
import io
import json
import time
import uuid

import pytest
from confluent_kafka import Consumer
from django.core.management import call_command

from .conftest import guest

pytestmark = [pytest.mark.django_db, pytest.mark.kafka]


def _read(bootstrap: str, return_id: str, expected: int, timeout: float = 30.0) -> list[tuple[str, dict]]:
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"returns-test-{uuid.uuid4()}",
                         "auto.offset.reset": "earliest", "enable.auto.commit": False,
                         "session.timeout.ms": 6000})  # a new group's first delivery waits about half of it
    consumer.subscribe(["returns.events"])
    found, deadline = [], time.monotonic() + timeout
    try:
        while time.monotonic() < deadline and len(found) < expected:
            message = consumer.poll(0.5)
            if message is None or message.error():
                continue
            payload = json.loads(message.value())
            if payload.get("return_id") == return_id:
                found.append((message.key().decode(), payload))
    finally:
        consumer.close()
    return found


def test_state_changes_reach_kafka_in_order(returns_on, make_order, create_return, api_client, settings):
    order = make_order()
    return_id = create_return(order).json()["return_id"]
    api_client.post(f"/api/v1/returns/{return_id}/cancel", guest(order), format="json")
    call_command("relay_outbox", stdout=io.StringIO())
    messages = _read(settings.KAFKA_BOOTSTRAP_SERVERS, return_id, expected=3)
    assert [payload["event_type"] for _, payload in messages] == [
        "return.requested", "return.label_created", "return.cancelled"]
    assert {key for key, _ in messages} == {order.id}
    assert all(payload["event_id"] and payload["occurred_at"] for _, payload in messages)
    assert messages[1][1]["tracking_code"] and messages[2][1]["actor"]["type"] == "guest"
