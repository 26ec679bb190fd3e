"""track() end to end: the event reaches the Kafka topic `analytics.events` through the outbox relay."""
import io
import json
import uuid

import pytest
from confluent_kafka import Consumer
from django.conf import settings
from django.core.management import call_command

from apps.experiments import public

pytestmark = [pytest.mark.django_db, pytest.mark.kafka]


def test_tracked_event_is_delivered_to_analytics_events(kafka_broker):
    # given a tracked order confirmation with a unique order id
    order_id = f"ord_{uuid.uuid4().hex[:12]}"
    public.track("order_confirmed", {"order_id": order_id, "amount": "82.45", "payment_method": "apple_pay"},
                 {"session_id": "kafka-guest", "device": "mobile"})
    # when the outbox relay runs
    call_command("relay_outbox", stdout=io.StringIO())
    # then a consumer of analytics.events receives it, keyed by the unit
    # A short session timeout, as the other Kafka tests have: a new group's first delivery waits about half of
    # it (the 45 s default left this test a few seconds of its 30 on a busy machine, and it failed in a run).
    consumer = Consumer({"bootstrap.servers": settings.KAFKA_BOOTSTRAP_SERVERS, "group.id": f"test-{order_id}",
                         "auto.offset.reset": "earliest", "session.timeout.ms": 6000})
    consumer.subscribe(["analytics.events"])
    found = None
    try:
        for _ in range(60):
            message = consumer.poll(0.5)
            if message is None or message.error():
                continue
            payload = json.loads(message.value())
            if payload.get("properties", {}).get("order_id") == order_id:
                found = (message.key().decode(), payload)
                break
    finally:
        consumer.close()
    assert found is not None
    key, payload = found
    assert key == "session:kafka-guest"
    assert payload["event"] == "order_confirmed" and payload["context"]["device"] == "mobile"
    assert payload["event_id"] and payload["occurred_at"]
