"""The outbox through a real broker: events written with the caller's transaction, delivered once
each and in key order — including events published while the broker was down."""
import json
import time
import uuid
from datetime import timedelta

import pytest
from confluent_kafka import Consumer
from django.db import transaction
from django.utils import timezone

from apps.events.models import OutboxEvent
from apps.events.public import publish
from apps.events.services import outbox_relay
from conftest import Broker, free_port

pytestmark = pytest.mark.django_db


def consume(bootstrap: str, topic: str, expected: int, timeout: float = 40.0) -> list[dict]:
    consumer = Consumer({
        "bootstrap.servers": bootstrap, "group.id": f"test-{uuid.uuid4().hex}",
        "auto.offset.reset": "earliest", "session.timeout.ms": 6000, "enable.auto.commit": False,
    })
    consumer.subscribe([topic])
    messages, deadline = [], time.monotonic() + timeout
    try:
        while len(messages) < expected and time.monotonic() < deadline:
            message = consumer.poll(0.5)
            if message is None or message.error():
                continue
            messages.append({"key": message.key().decode(), **json.loads(message.value())})
        # linger briefly: a duplicate delivery would show up here
        end = time.monotonic() + 2
        while time.monotonic() < end:
            message = consumer.poll(0.2)
            if message is not None and not message.error():
                messages.append({"key": message.key().decode(), **json.loads(message.value())})
    finally:
        consumer.close()
    return messages


def test_publish_is_part_of_the_callers_transaction():
    with pytest.raises(RuntimeError), transaction.atomic():
        publish("returns.events", "ret_1", {"status": "requested"})
        raise RuntimeError("the state change failed")
    assert OutboxEvent.objects.count() == 0


def test_events_carry_event_id_and_occurred_at():
    event_id = publish("returns.events", "ret_1", {"status": "requested"})
    payload = OutboxEvent.objects.get().payload
    assert payload["event_id"] == event_id
    assert payload["occurred_at"].startswith(str(timezone.now().year))


def test_relay_delivers_to_the_real_broker(kafka_broker, settings):
    publish("returns.events", "ret_42", {"status": "requested"})
    assert outbox_relay() == {"delivered": 1, "failed": 0}
    assert OutboxEvent.objects.filter(delivered_at__isnull=True).count() == 0
    received = [m for m in consume(settings.KAFKA_BOOTSTRAP_SERVERS, "returns.events", 1) if m["key"] == "ret_42"]
    assert [m["status"] for m in received] == ["requested"]


def test_events_published_while_broker_is_down_arrive_once_each_in_key_order(settings):
    broker = Broker(free_port())
    broker.start()
    settings.KAFKA_BOOTSTRAP_SERVERS = broker.bootstrap
    try:
        # given the broker goes down
        broker.stop()
        for seq in range(4):
            publish("cart.abandonment", "cart_a", {"seq": seq})
            publish("cart.abandonment", "cart_b", {"seq": seq})
        # when the relay runs during the outage, nothing is lost and nothing is marked delivered
        result = outbox_relay()
        assert result["delivered"] == 0 and result["failed"] == 8
        assert OutboxEvent.objects.filter(delivered_at__isnull=True).count() == 8
        # and when the broker comes back (with no topics: memory storage) and the backoff has passed
        broker.start()
        OutboxEvent.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
        assert outbox_relay()["delivered"] == 8
        # then each event arrives once, in order per key
        received = consume(broker.bootstrap, "cart.abandonment", 8)
        assert sorted(m["event_id"] for m in received) == sorted(
            str(e) for e in OutboxEvent.objects.values_list("event_id", flat=True))
        for key in ("cart_a", "cart_b"):
            assert [m["seq"] for m in received if m["key"] == key] == [0, 1, 2, 3]
    finally:
        broker.stop()


def test_a_key_waiting_for_retry_holds_back_its_later_events(kafka_broker):
    first = OutboxEvent.objects.get(event_id=publish("returns.events", "ret_7", {"status": "requested"}))
    publish("returns.events", "ret_7", {"status": "label_created"})
    publish("returns.events", "ret_8", {"status": "requested"})
    OutboxEvent.objects.filter(pk=first.pk).update(next_attempt_at=timezone.now() + timedelta(minutes=5))
    assert outbox_relay()["delivered"] == 1  # only ret_8: ret_7's second event must not overtake its first
    pending_keys = list(OutboxEvent.objects.filter(delivered_at__isnull=True).values_list("key", flat=True))
    assert pending_keys == ["ret_7", "ret_7"]
