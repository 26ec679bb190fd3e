"""Express checkout (CHKOUT-1970) through its page endpoints: the button only for eligible customers,
the server-owned 5-second window, and a cancel that races the deadline — one order or none, never both."""
import threading
import time
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client

from apps.checkout.models import Order
from apps.checkout.services.express import express_cancel, express_complete
from apps.inventory.public import stock_on_hand

from ..shopper import DEFAULT_ADDRESS, customer, flags

pytestmark = pytest.mark.django_db


@pytest.fixture
def express_ready(local_stripe, make_product):
    flags(express_checkout=True)
    product = make_product(price="47.99", stock=10, id="prod_headphones_nc")
    user = customer()
    client = Client()
    client.force_login(user)
    return client, product


def start(client, product, quantity=1):
    response = client.post("/express/start", {"product_id": product.id, "quantity": quantity})
    assert response.status_code == 201, response.content
    return response.json()


@pytest.mark.parametrize("who", ["guest", "no_card", "flag_off", "eligible"])
def test_express_button_shows_only_for_signed_in_customers_with_card_address_and_flag(who, local_stripe,
                                                                                      make_product):
    product = make_product()
    flags(express_checkout=who != "flag_off")
    client = Client()
    if who != "guest":
        client.force_login(customer(card="" if who == "no_card" else "pm_card_visa"))
    html = client.get(f"/products/{product.id}/").content.decode()
    assert ("Express checkout" in html) is (who == "eligible")


def test_start_opens_a_five_second_window_with_summary_card_and_address(express_ready):
    client, product = express_ready
    window = start(client, product, quantity=2)
    assert 4000 < window["remaining_ms"] <= 5000
    assert window["total"] == "95.98" and window["card"] == "Visa •••• 4242"
    assert window["address"].startswith(DEFAULT_ADDRESS["line1"])
    assert window["lines"][0]["quantity"] == 2


def test_cancel_inside_the_window_wins_no_order_no_charge(express_ready, local_stripe):
    client, product = express_ready
    window = start(client, product)
    assert client.post(window["cancel_url"]).json() == {"status": "cancelled", "order_id": None}
    assert client.post(window["cancel_url"]).json()["status"] == "cancelled"
    assert client.post(window["complete_url"]).json()["status"] == "cancelled"
    assert Order.objects.count() == 0
    assert local_stripe.call_count("POST", "/v1/payment_intents") == 0
    assert tracked() == ["express_checkout_started", "express_checkout_cancelled"]


def tracked() -> list[str]:
    return list(apps.get_model("experiments", "AnalyticsEvent").objects.filter(
        event__startswith="express_checkout").order_by("id").values_list("event", flat=True))


def test_complete_inside_the_window_is_refused_with_the_time_left(express_ready):
    client, product = express_ready
    response = client.post(start(client, product)["complete_url"])
    assert response.status_code == 409
    assert response.json()["error"] == "EXPRESS_WINDOW_OPEN" and response.json()["retry_after_ms"] > 0


def test_window_end_places_one_order_with_the_saved_card_and_default_address(express_ready, settings, local_stripe):
    settings.EXPRESS_CHECKOUT_WINDOW_SECONDS = 0
    client, product = express_ready
    window = start(client, product)
    first, again = client.post(window["complete_url"]).json(), client.post(window["complete_url"]).json()
    assert first["status"] == "placed" and again["order_id"] == first["order_id"]
    order = Order.objects.get()
    assert order.status == Order.Status.PAID and order.email == "shopper.test@example.com"
    assert order.shipping_address["line1"] == DEFAULT_ADDRESS["line1"]
    assert local_stripe.intents()[0]["payment_method"] == order.payment_method_id
    assert local_stripe.call_count("POST", "/v1/payment_intents") == 1
    assert client.get(first["confirmation_url"]).status_code == 200
    assert tracked() == ["express_checkout_started", "express_checkout_placed"]


def test_cancel_after_the_deadline_loses_cleanly_and_returns_the_one_order(express_ready, settings):
    settings.EXPRESS_CHECKOUT_WINDOW_SECONDS = 0
    client, product = express_ready
    outcome = client.post(start(client, product)["cancel_url"]).json()
    assert outcome["status"] == "placed"
    assert Order.objects.get().id == outcome["order_id"]


@pytest.mark.django_db(transaction=True)
def test_cancel_racing_the_deadline_is_either_no_order_or_exactly_one(local_stripe, make_product, settings):
    settings.EXPRESS_CHECKOUT_WINDOW_SECONDS = 1
    flags(express_checkout=True)
    product = make_product(stock=100)
    user = customer()
    client = Client()
    client.force_login(user)
    outcomes_seen = set()
    for offset in (-0.02, 0.0, 0.02):
        Order.objects.all().delete()
        local_stripe.reset()
        window = start(client, product)
        express_id = window["express_id"]
        results: list = []
        barrier = threading.Barrier(4)

        def call(action, barrier=barrier, results=results, express_id=express_id):
            barrier.wait()
            try:
                results.append(action(express_id=express_id, user_id=user.pk).status)
            except Exception as exc:  # noqa: BLE001 - a refused early complete is a valid loser
                results.append(type(exc).__name__)
            finally:
                connection.close()

        time.sleep(max(window["remaining_ms"] / 1000 + offset, 0))
        threads = [threading.Thread(target=call, args=(a,))
                   for a in (express_cancel, express_complete, express_cancel, express_complete)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        orders = Order.objects.count()
        if "cancelled" in results:
            assert orders == 0 and local_stripe.call_count("POST", "/v1/payment_intents") == 0, results
            assert "placed" not in results
            outcomes_seen.add("cancelled")
        else:
            while express_complete(express_id=express_id, user_id=user.pk).status == "placing":
                time.sleep(0.05)
            assert Order.objects.count() == 1, results
            assert local_stripe.call_count("POST", "/v1/payment_intents") == 1
            outcomes_seen.add("placed")
    assert outcomes_seen


def test_express_from_the_cart_page_buys_the_shoppers_cart(express_ready, make_product, settings):
    settings.EXPRESS_CHECKOUT_WINDOW_SECONDS = 0
    client, product = express_ready
    other = make_product(price="12.99")
    client.post("/cart/add", {"product_id": product.id, "quantity": 2})
    client.post("/cart/add", {"product_id": other.id})
    assert "Express checkout" in client.get("/cart/").content.decode()
    window = client.post("/express/start").json()
    assert window["total"] == "108.97" and len(window["lines"]) == 2
    outcome = client.post(window["complete_url"]).json()
    assert Order.objects.get(id=outcome["order_id"]).total == Decimal("108.97")


def test_express_is_refused_for_a_customer_without_saved_details(local_stripe, make_product):
    flags(express_checkout=True)
    client = Client()
    client.force_login(customer(card="", address=False))
    response = client.post("/express/start", {"product_id": make_product().id})
    assert response.status_code == 403 and response.json()["error"] == "EXPRESS_NOT_AVAILABLE"


@pytest.fixture
def express_with_authentication_card(local_stripe, make_product, settings):
    settings.EXPRESS_CHECKOUT_WINDOW_SECONDS = 0
    flags(express_checkout=True)
    product = make_product(price="47.99", stock=10, id="prod_headphones_nc")
    client = Client()
    client.force_login(customer(card="pm_card_authenticationRequired"))
    return client, product


def answer_challenge(client, outcome: dict, answer: str) -> None:
    response = client.post("/checkout/test-authentication", {"client_secret": outcome["client_secret"],
                                                              "outcome": answer}, content_type="application/json")
    assert response.status_code == 200, response.content


def test_saved_card_needing_3ds_is_not_reported_placed_but_requires_action(express_with_authentication_card,
                                                                           local_stripe):
    # given a customer whose saved card needs 3-D Secure
    client, product = express_with_authentication_card
    # when the window ends
    response = client.post(start(client, product)["complete_url"])
    # then the order waits for the bank's challenge, unpaid, and the page gets what the challenge needs
    outcome = response.json()
    order = Order.objects.get()
    [intent] = local_stripe.intents()
    assert response.status_code == 200
    assert outcome == {"status": "requires_action", "order_id": order.id, "client_secret": intent["client_secret"],
                       "next_action_type": "use_stripe_sdk"}
    assert order.status == Order.Status.PENDING and intent["status"] == "requires_action"
    assert tracked() == ["express_checkout_started"]


def test_completed_challenge_places_the_same_order_paid_once(express_with_authentication_card, local_stripe):
    # given an express order waiting for 3-D Secure
    client, product = express_with_authentication_card
    window = start(client, product)
    pending = client.post(window["complete_url"]).json()
    # when the shopper completes the challenge and the page asks again
    answer_challenge(client, pending, "complete")
    outcome = client.post(window["complete_url"]).json()
    # then that order is placed and paid, with one intent and one charge
    order = Order.objects.get()
    assert outcome["status"] == "placed" and outcome["order_id"] == pending["order_id"] == order.id
    assert order.status == Order.Status.PAID
    assert client.get(outcome["confirmation_url"]).status_code == 200
    assert [intent["status"] for intent in local_stripe.intents()] == ["succeeded"]
    assert len(local_stripe.store.charges) == 1
    assert tracked() == ["express_checkout_started", "express_checkout_placed"]


def test_unanswered_challenge_still_requires_action(express_with_authentication_card):
    client, product = express_with_authentication_card
    window = start(client, product)
    first = client.post(window["complete_url"]).json()
    again = client.post(window["complete_url"]).json()
    assert again["status"] == "requires_action" and again["client_secret"] == first["client_secret"]
    assert Order.objects.get().status == Order.Status.PENDING


def test_failed_challenge_fails_the_order_without_charging(express_with_authentication_card, local_stripe):
    # given an express order waiting for 3-D Secure
    client, product = express_with_authentication_card
    window = start(client, product)
    pending = client.post(window["complete_url"]).json()
    # when the bank's check fails and the page asks again
    answer_challenge(client, pending, "fail")
    response = client.post(window["complete_url"])
    # then a clear 402 (not charged), the order failed and its stock back; asking again changes nothing
    assert response.status_code == 402
    assert response.json()["decline_code"] == "AUTHENTICATION_FAILED"
    assert "not been charged" in response.json()["message"]
    assert Order.objects.get().status == Order.Status.PAYMENT_FAILED
    assert not local_stripe.store.charges
    assert stock_on_hand(product_ids=[product.id]) == {product.id: 10}
    assert client.post(window["complete_url"]).status_code == 402
    assert Order.objects.count() == 1
