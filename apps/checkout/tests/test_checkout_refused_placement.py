"""A one-call guest checkout (no session yet) opens its session and records its funnel events in the order's
transaction. When placing is refused, that transaction rolls back, but the session stays and so must its
events: they are written again on their own, and the funnel metric still counts the start once."""
import pytest
from prometheus_client import REGISTRY

from apps.checkout.models import Order
from apps.checkout.sessions import GuestSessionStore
from apps.events.testing import outbox_events
from apps.experiments.testing import analytics_events

pytestmark = pytest.mark.django_db(transaction=True)

ADDRESS = {"line1": "1 Main St", "city": "Austin", "state": "TX", "zip": "78701", "country": "US"}


def checkouts_started() -> float:
    return REGISTRY.get_sample_value("checkout_started_total", {"flow": "guest_v2"}) or 0.0


def one_call_checkout(client, cart, address=ADDRESS):
    return client.post("/api/v2/checkout/guest", {"cart_id": cart.id, "email": "late@example.com",
                                                   "shipping_address": address,
                                                   "payment_method_id": "pm_card_visa"},
                       content_type="application/json")


@pytest.mark.parametrize(("stock", "address", "status", "error"), [
    (1, ADDRESS, 409, "OUT_OF_STOCK"),
    (5, {**ADDRESS, "country": "BR", "state": ""}, 422, "UNDELIVERABLE_ADDRESS"),  # no zone ships to Brazil
])
def test_a_refused_placement_keeps_the_session_and_its_funnel_events(client, make_product, make_cart, stock,
                                                                      address, status, error):
    # given
    cart = make_cart([(make_product(stock=stock), 2)])
    started_before = checkouts_started()
    # when
    response = one_call_checkout(client, cart, address)
    # then: refused, nothing of the order written
    assert response.status_code == status, response.content
    body = response.json()
    codes = [body["error"]] if "error" in body else [problem["code"] for problem in body["errors"]]
    assert codes == [error]
    assert not Order.objects.filter(cart_id=cart.id).exists()
    # and the session's two funnel events are stored once each, published, and counted once
    events = analytics_events(properties__cart_id=cart.id)
    assert [event.event for event in events] == ["checkout_started", "shipping_completed"]
    assert len(outbox_events(payload__properties__cart_id=cart.id)) == 2
    assert checkouts_started() == started_before + 1
    session = GuestSessionStore().get(events[0].session_id)
    assert session is not None and session.cart_id == cart.id
    assert session.shipping_address["zip"] == "78701"


def test_a_placed_order_records_its_funnel_events_once(client, local_stripe, make_product, make_cart):
    # given
    cart = make_cart([(make_product(), 1)])
    # when
    response = one_call_checkout(client, cart)
    # then
    assert response.status_code == 201, response.content
    events = analytics_events(session_id=response.json()["session_id"])
    assert [event.event for event in events] == ["checkout_started", "shipping_completed", "payment_completed",
                                                 "order_confirmed"]


def test_a_refused_shipping_method_does_not_stay_on_the_new_session(client, make_product, make_cart):
    # given
    cart = make_cart([(make_product(), 1)])
    # when: the one-call checkout names a method nobody offers
    response = client.post("/api/v2/checkout/guest", {"cart_id": cart.id, "email": "late@example.com",
                                                       "shipping_address": ADDRESS, "payment_method_id": "pm_card_visa",
                                                       "shipping_method": "teleport"},
                           content_type="application/json")
    # then: refused for that field; the session keeps the shopper's address but no method
    assert response.status_code == 422, response.content
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [("shipping_method", "INVALID_CHOICE")]
    [started, _] = analytics_events(properties__cart_id=cart.id)
    session = GuestSessionStore().get(started.session_id)
    assert session.shipping_method == "" and session.shipping_address["zip"] == "78701"
