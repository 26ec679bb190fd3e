"""The events app's interface for other apps: publish an event, check the broker, topic names."""
from .integrations.kafka import broker_reachable
from .selectors import outbox_backlog
from .services import event_publish, outbox_relay
from .topics import ALL_TOPICS, ANALYTICS_EVENTS, CART_ABANDONMENT, INVENTORY_ALERTS, ORDERS_EVENTS, RETURNS_EVENTS


def publish(topic: str, key: str, payload: dict, occurred_at=None) -> str:
    """Write `payload` to the outbox in the current transaction; returns the event id."""
    return str(event_publish(topic=topic, key=key, payload=payload, occurred_at=occurred_at).event_id)


__all__ = [
    "publish", "outbox_relay", "broker_reachable", "outbox_backlog",
    "ALL_TOPICS", "ANALYTICS_EVENTS", "CART_ABANDONMENT", "INVENTORY_ALERTS", "ORDERS_EVENTS", "RETURNS_EVENTS",
]
