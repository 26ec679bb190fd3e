"""analytics-event-firing: one checkout through the pages records the funnel events on the
`analytics.events` topic (outbox), in order, keyed by the shopper's guest session (the bucketing unit)."""
import pytest
from django.apps import apps

from apps.checkout.models import Order

from .conftest import checkout_to_review

pytestmark = pytest.mark.browser


def test_checkout_records_the_funnel_events_for_the_session(page, live_server, shop, local_stripe):
    checkout_to_review(page, live_server.url)
    page.locator("[data-place-order]").click()
    page.wait_for_url("**/checkout/confirmation/**")

    order = Order.objects.get()
    events = apps.get_model("events", "OutboxEvent").objects.filter(
        topic="analytics.events", key=f"session:{order.session_id}").order_by("id")
    names = [e.payload["event"] for e in events]
    assert names[:4] == ["checkout_started", "shipping_completed", "payment_completed", "order_confirmed"]
    confirmed = events.get(payload__event="order_confirmed").payload["properties"]
    assert confirmed["order_id"] == order.id and confirmed["total"] == "449.00"
