"""The Kafka tap counts what a consumer of every project topic receives, whatever the event's shape."""
import json

from apps.events.topics import ALL_TOPICS, ORDERS_EVENTS
from proof.kafka_tap import TOPICS, KafkaTap


def test_the_tap_subscribes_to_every_topic_the_project_publishes():
    assert set(TOPICS) == set(ALL_TOPICS) and ORDERS_EVENTS in TOPICS


def test_analytics_and_orders_events_are_both_recorded_with_their_order():
    tap = KafkaTap("127.0.0.1:1")
    tap._record("analytics.events", json.dumps({"event_id": "e1", "event": "order_confirmed",
                                                "properties": {"order_id": "ord_a"}}).encode())
    tap._record(ORDERS_EVENTS, json.dumps({"event_id": "e2", "event_type": "order_paid",
                                           "order_id": "ord_b"}).encode())

    assert tap.seen() == {"e1", "e2"}
    assert (tap.events["e1"]["event"], tap.events["e1"]["order_id"]) == ("order_confirmed", "ord_a")
    assert (tap.events["e2"]["event"], tap.events["e2"]["order_id"]) == ("order_paid", "ord_b")
