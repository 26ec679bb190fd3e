"""The events app's interface for other apps: publish an event, check the broker, topic names."""
from .integrations.kafka import broker_reachable
from .selectors import outbox_backlog
from .services import event_publish, event_publish_many, outbox_relay
from .topics import ALL_TOPICS, ANALYTICS_EVENTS, CART_ABANDONMENT, INVENTORY_ALERTS, ORDERS_EVENTS, RETURNS_EVENTS


def publish(topic: str, key: str, payload: dict, occurred_at=None) -> str:
    """Write `payload` to the outbox in the current transaction; returns the event id."""
    return str(event_publish(topic=topic, key=key, payload=payload, occurred_at=occurred_at).event_id)


def publish_many(events: list[tuple[str, str, dict, object]]) -> list[str]:
    """`publish()` for several (topic, key, payload, occurred_at) with one insert; returns the event ids."""
    return [str(event.event_id) for event in event_publish_many(events=events)]


__all__ = [
    "publish", "publish_many", "outbox_relay", "broker_reachable", "outbox_backlog",
    "ALL_TOPICS", "ANALYTICS_EVENTS", "CART_ABANDONMENT", "INVENTORY_ALERTS", "ORDERS_EVENTS", "RETURNS_EVENTS",
]
