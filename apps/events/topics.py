"""The Kafka topics this system publishes (DESIGN.md, "Public contracts")."""

INVENTORY_ALERTS = "inventory.alerts"
CART_ABANDONMENT = "cart.abandonment"
RETURNS_EVENTS = "returns.events"
ANALYTICS_EVENTS = "analytics.events"
ORDERS_EVENTS = "orders.events"

ALL_TOPICS = (INVENTORY_ALERTS, CART_ABANDONMENT, RETURNS_EVENTS, ANALYTICS_EVENTS, ORDERS_EVENTS)
