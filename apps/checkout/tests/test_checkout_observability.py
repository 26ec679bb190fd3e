"""What a guest checkout tells the rest of the system: the OTel spans around the payment handoff
and the funnel's analytics events on the real broker."""
import pytest

from apps.events.public import ANALYTICS_EVENTS

from .broker import consume, relay_outbox

ADDRESS = {"line1": "1 Main St", "city": "Austin", "state": "TX", "zip": "78701", "country": "US"}


@pytest.mark.django_db
def test_payment_handoff_is_a_child_of_the_checkout_span(client, local_stripe, payment_spans, make_product,
                                                         make_cart):
    cart = make_cart([(make_product(price="67.25"), 1)])
    response = client.post("/api/v2/checkout/guest", {"cart_id": cart.id, "email": "a@example.com",
                                                       "shipping_address": ADDRESS,
                                                       "payment_method_id": "pm_card_visa"},
                           content_type="application/json")
    assert response.status_code == 201
    spans = {span.name: span for span in payment_spans.get_finished_spans()}
    complete, handoff = spans["checkout.guest.complete"], spans["checkout.guest.payment_handoff"]
    assert handoff.parent.span_id == complete.context.span_id
    assert complete.attributes["cart_id"] == cart.id
    assert complete.attributes["order_id"] == response.json()["order_id"]


@pytest.mark.kafka
@pytest.mark.django_db(transaction=True)
def test_funnel_events_reach_the_analytics_topic(kafka_broker, client, local_stripe, make_product, make_cart):
    # given / when: one complete guest checkout
    cart = make_cart([(make_product(price="34.99"), 1)])
    response = client.post("/api/v2/checkout/guest", {"cart_id": cart.id, "email": "a@example.com",
                                                       "shipping_address": ADDRESS,
                                                       "payment_method_id": "pm_card_visa"},
                           content_type="application/json")
    assert response.status_code == 201
    relay_outbox()
    # then: the four funnel events of that session, in order
    session_id = response.json()["session_id"]
    events = consume(kafka_broker.bootstrap, ANALYTICS_EVENTS,
                     lambda event: event.get("context", {}).get("session_id") == session_id, settle_seconds=2)
    assert [e["event"] for e in events] == ["checkout_started", "shipping_completed", "payment_completed",
                                            "order_confirmed"]
    assert events[-1]["properties"]["order_id"] == response.json()["order_id"]
    assert events[-1]["properties"]["checkout_flow"] == "guest_v2"
