"""Knowing an id gives nothing (issue 14, holes 1 and 3), proved by the attacks themselves over HTTP: a guest
session's id without its token cannot pay with, read or change that session, and a checked-out cart's id
does not reveal its order to anyone but the client that placed it."""
import pytest
from django.test import Client

from apps.checkout.models import Order
from apps.checkout.sessions import GuestSessionStore

pytestmark = pytest.mark.django_db

URL = "/api/v2/checkout/guest"
SESSIONS = "/api/v2/checkout/guest/session"
VICTIM_ADDRESS = {"line1": "1 Victim Way", "city": "Austin", "state": "TX", "zip": "78701", "country": "US"}
ATTACKER_ADDRESS = {"line1": "9 Drop St", "city": "Reno", "state": "NV", "zip": "89501", "country": "US"}


@pytest.fixture
def victim_session(client, make_product, make_cart):
    """A shopper's session with email, address and card attached, as the checkout page leaves it."""
    cart = make_cart([(make_product(price="49.00"), 1)])
    created = client.post(SESSIONS, {"cart_id": cart.id, "email": "victim@example.com"},
                          content_type="application/json").json()
    auth = {"Authorization": f"Bearer {created['session_token']}"}
    client.patch(f"{SESSIONS}/{created['session_id']}", {"shipping_address": VICTIM_ADDRESS,
                                                          "payment_method_id": "pm_card_visa"},
                 content_type="application/json", headers=auth)
    return cart, created["session_id"], auth


@pytest.mark.parametrize("authorization", [None, "Bearer guest_session_tok_guessed", "Basic dmljdGlt"])
def test_paying_with_someone_elses_session_is_refused_and_leaves_it_untouched(client, victim_session, local_stripe,
                                                                              authorization):
    cart, session_id, victim_auth = victim_session
    attacker = Client()
    # when: the attacker sends the victim's session id, without a card of their own
    response = attacker.post(URL, {"cart_id": cart.id, "email": "attacker@example.com",
                                   "shipping_address": ATTACKER_ADDRESS, "session_id": session_id},
                             content_type="application/json",
                             headers={"Authorization": authorization} if authorization else {})
    # then
    assert response.status_code == 401 and response.json()["error"] == "SESSION_TOKEN_INVALID"
    assert not Order.objects.exists() and local_stripe.intents() == []
    session = GuestSessionStore().get(session_id)
    assert session.email == "victim@example.com" and session.shipping_address["line1"] == VICTIM_ADDRESS["line1"]
    assert client.get(f"{SESSIONS}/{session_id}", headers=victim_auth).json()["payment_method_attached"] is True


def test_the_sessions_owner_pays_with_its_token(client, victim_session, local_stripe):
    cart, session_id, victim_auth = victim_session

    response = client.post(URL, {"cart_id": cart.id, "email": "victim@example.com",
                                 "shipping_address": VICTIM_ADDRESS, "session_id": session_id},
                           content_type="application/json", headers=victim_auth)

    assert response.status_code == 201, response.content
    assert Order.objects.get().payment_method_id == "pm_card_visa"  # the card attached to the session


@pytest.fixture
def checked_out(client, make_product, make_cart, local_stripe):
    cart = make_cart([(make_product(price="25.00"), 1)])
    body = {"cart_id": cart.id, "email": "owner@example.com", "shipping_address": VICTIM_ADDRESS,
            "payment_method_id": "pm_card_visa"}
    placed = client.post(URL, body, content_type="application/json", headers={"Idempotency-Key": "idk_owner_1"})
    assert placed.status_code == 201
    return cart, body, placed


@pytest.mark.parametrize("headers", [{}, {"Idempotency-Key": "idk_attacker"},
                                     {"Authorization": "Bearer guest_session_tok_guessed"}])
def test_a_checked_out_cart_reveals_nothing_to_another_client(checked_out, local_stripe, headers):
    cart, body, placed = checked_out
    # when: someone who knows only the cart id posts it again, with any email
    response = Client().post(URL, {**body, "email": "attacker@example.com"}, content_type="application/json",
                             headers=headers)
    # then
    assert response.status_code == 409 and response.json()["error"] == "CART_ALREADY_CHECKED_OUT"
    text = response.content.decode()
    assert placed.json()["order_id"] not in text and "cnf_" not in text
    assert len(local_stripe.intents()) == 1


def test_the_client_that_placed_the_order_sees_it_again(client, checked_out):
    _, body, placed = checked_out
    token = placed.headers["X-Guest-Session-Token"]

    same_key = client.post(URL, body, content_type="application/json", headers={"Idempotency-Key": "idk_owner_1"})
    with_session = Client().post(URL, {**body, "session_id": placed.json()["session_id"]},
                                 content_type="application/json", headers={"Authorization": f"Bearer {token}"})

    assert same_key.status_code == 201 and same_key.headers["Idempotent-Replayed"] == "true"
    assert with_session.status_code == 201
    assert same_key.json()["order_id"] == with_session.json()["order_id"] == placed.json()["order_id"]


@pytest.mark.parametrize("headers", [{}, {"Idempotency-Key": "idk_attacker"},
                                     {"Authorization": "Bearer guest_session_tok_guessed"}])
def test_a_pending_order_cannot_be_resumed_by_another_client(client, make_product, make_cart, local_stripe, headers):
    # given: an order left pending by a card that needs 3-D Secure (its client secret is the shopper's to use)
    cart = make_cart([(make_product(price="30.00"), 1)])
    body = {"cart_id": cart.id, "email": "owner@example.com", "shipping_address": VICTIM_ADDRESS,
            "payment_method_id": "pm_card_authenticationRequired"}
    pending = client.post(URL, body, content_type="application/json", headers={"Idempotency-Key": "idk_owner_3ds"})
    assert pending.status_code == 202
    # when: someone who knows only the cart id resends it, with a card of their own
    response = Client().post(URL, {**body, "email": "attacker@example.com", "payment_method_id": "pm_card_visa"},
                             content_type="application/json", headers=headers)
    # then: nothing of the order, no new payment attempt, the order still waits for its owner
    assert response.status_code == 409 and response.json()["error"] == "CART_ALREADY_CHECKED_OUT"
    text = response.content.decode()
    assert pending.json()["order_id"] not in text and "_secret_" not in text and "pi_" not in text
    [intent] = local_stripe.intents()
    assert intent["payment_method"] == "pm_card_authenticationRequired"
    order = Order.objects.get()
    assert order.status == "pending" and order.email == "owner@example.com"
