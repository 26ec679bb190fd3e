"""3-D Secure through `POST /api/v2/checkout/guest`: a card that needs authentication answers 202 with the
intent's client secret and keeps the order pending (stock reserved); the same request sent again after the
challenge answers 201 (authenticated), 202 (not yet) or 402 AUTHENTICATION_FAILED (stock released). The
local Stripe-compatible server plays Stripe's authentication test cards and the shopper's answer."""
import pytest

from apps.checkout.models import Cart, Order
from apps.checkout.testing import GuestCheckoutCaller

pytestmark = pytest.mark.django_db

URL = "/api/v2/checkout/guest"
ADDRESS = {"line1": "1 Main St", "city": "Austin", "state": "TX", "zip": "78701", "country": "US"}
AUTH_CARDS = ["pm_card_authenticationRequired", "pm_card_threeDSecure2Required"]


@pytest.fixture
def checkout(client, make_product, make_cart):
    product = make_product(price="30.00", stock=2)
    cart = make_cart([(product, 2)])
    body = {"cart_id": cart.id, "email": "a@example.com", "shipping_address": ADDRESS,
            "payment_method_id": "pm_card_authenticationRequired"}

    post = GuestCheckoutCaller(client, body)
    post.product, post.cart = product, cart
    return post


@pytest.mark.parametrize("payment_method_id", AUTH_CARDS)
def test_a_card_needing_authentication_answers_202_and_keeps_the_order_pending(checkout, local_stripe, on_hand,
                                                                                payment_method_id):
    # when
    response = checkout(key="first", payment_method_id=payment_method_id)
    # then
    assert response.status_code == 202, response.content
    body = response.json()
    [intent] = local_stripe.intents()
    order = Order.objects.get()
    assert set(body) == {"order_id", "status", "payment_intent_client_secret", "next_action_type", "session_id",
                         "subtotal", "shipping_total", "tax_total", "total_charged", "prices_include_tax",
                         "shipping_method", "delivery_window"}
    assert body["order_id"] == order.id and body["session_id"] == order.session_id
    assert body["status"] == "requires_action" and body["next_action_type"] == "use_stripe_sdk"
    assert body["payment_intent_client_secret"] == intent["client_secret"]
    assert order.status == "pending" and on_hand(checkout.product) == 0
    # and: the same Idempotency-Key replays the 202
    replay = checkout(key="first", payment_method_id=payment_method_id)
    assert replay.status_code == 202 and replay.json() == body


def test_sent_again_before_authentication_answers_202_again_with_the_same_intent(checkout, local_stripe):
    first = checkout(key="one")
    # when
    again = checkout(key="two")
    # then
    assert again.status_code == 202
    assert again.json()["payment_intent_client_secret"] == first.json()["payment_intent_client_secret"]
    assert len(local_stripe.intents()) == 1 and Order.objects.get().status == "pending"


def test_authenticated_then_sent_again_answers_201_for_the_same_order(checkout, local_stripe, on_hand):
    pending = checkout(key="one").json()
    [intent] = local_stripe.intents()
    # when: the shopper completes the challenge, the page sends the request again
    local_stripe.authenticate(intent["id"], "complete")
    response = checkout(key="two")
    # then
    assert response.status_code == 201, response.content
    assert response.json()["order_id"] == pending["order_id"]
    assert response.json()["total_charged"] == 60.0
    order = Order.objects.get()
    assert order.status == "paid" and order.payment_intent_id == intent["id"]
    assert len(local_stripe.intents()) == 1 and len(local_stripe.store.charges) == 1
    assert on_hand(checkout.product) == 0


def test_failed_authentication_answers_402_and_releases_the_stock(checkout, local_stripe, on_hand):
    checkout(key="one")
    [intent] = local_stripe.intents()
    # when
    local_stripe.authenticate(intent["id"], "fail")
    response = checkout(key="two")
    # then
    assert response.status_code == 402
    body = response.json()
    assert body["error"] == "PAYMENT_DECLINED" and body["decline_code"] == "AUTHENTICATION_FAILED"
    assert "request_id" in body and body["message"]
    assert Order.objects.get().status == "payment_failed"
    assert on_hand(checkout.product) == 2
    assert Cart.objects.get(id=checkout.cart.id).status == Cart.Status.OPEN
    assert not local_stripe.store.charges
    # and: the same request once more still answers the failure, without a new order or intent
    again = checkout(key="three")
    assert again.status_code == 402 and again.json()["decline_code"] == "AUTHENTICATION_FAILED"
    assert Order.objects.count() == 1 and len(local_stripe.intents()) == 1
    # and: another card pays for the cart (a new order)
    assert checkout(key="four", payment_method_id="pm_card_visa").status_code == 201
    assert on_hand(checkout.product) == 0


def test_the_authentication_card_succeeds_once_authenticated_on_a_new_intent_only(checkout, local_stripe):
    """The control call refuses intents that are not waiting for authentication (as Stripe would)."""
    local_stripe.next_intent_status("succeeded")
    assert checkout(key="one").status_code == 201
    [intent] = local_stripe.intents()
    status, body = local_stripe.store.intent_authenticate(intent["id"], "complete")
    assert status == 400 and body["error"]["code"] == "payment_intent_unexpected_state"
