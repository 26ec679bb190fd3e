"""`GET /api/v2/checkout/guest/shipping-options` and the guest session's quote: the methods that ship a cart
to an address with price and delivery window, the amounts by the chosen method, the error envelope for bad
input, unknown carts and unreachable addresses, and the rate limit."""
import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from apps.shipping.public import Destination, shipping_options

pytestmark = pytest.mark.django_db

URL = "/api/v2/checkout/guest/shipping-options"
SESSION_URL = "/api/v2/checkout/guest/session"
CA = {"line1": "1 Market St", "city": "San Francisco", "state": "CA", "zip": "94105", "country": "US"}


def options_for(client, cart, **params):
    return client.get(URL, {"cart_id": cart.id, "country": "US", "state": "CA", "zip": "94105", **params})


def test_lists_every_method_that_ships_there_cheapest_first_with_dates(client, shipping_rates, make_product,
                                                                      make_cart):
    # given
    cart = make_cart([(make_product(price="10.00"), 2)])
    # when
    response = options_for(client, cart)
    # then
    assert response.status_code == 200, response.content
    body = response.json()
    expected = shipping_options(destination=Destination("US", "CA", "94105"), subtotal=Decimal("20.00"),
                                weight_grams=0, currency="USD", placed_at=datetime.now(UTC))
    assert [option["code"] for option in body["options"]] == [option.code for option in expected]
    assert len(expected) >= 2
    for wire, option in zip(body["options"], expected, strict=True):
        assert Decimal(str(wire["price"])) == option.price
        assert (wire["earliest_delivery"], wire["latest_delivery"]) == (option.earliest_delivery.isoformat(),
                                                                        option.latest_delivery.isoformat())
    quote = body["quote"]
    assert quote["shipping_method"] == expected[0].code
    assert Decimal(str(quote["total_charged"])) == Decimal("20.00") + expected[0].price
    assert response["X-RateLimit-Limit"] == "30"


def test_quotes_the_method_asked_for(client, shipping_rates, make_product, make_cart):
    # given
    cart = make_cart([(make_product(price="10.00"), 1)])
    # when
    body = options_for(client, cart, shipping_method="express").json()
    # then
    express = next(option for option in body["options"] if option["code"] == "express")
    assert body["quote"]["shipping_method"] == "express"
    assert body["quote"]["shipping_total"] == express["price"]
    assert body["quote"]["delivery_window"] == {"earliest": express["earliest_delivery"],
                                                "latest": express["latest_delivery"]}


def test_outside_the_us_state_and_zip_may_be_left_out(client, shipping_rates, make_product, make_cart):
    # given
    cart = make_cart([(make_product(), 1)])
    # when
    response = client.get(URL, {"cart_id": cart.id, "country": "gb"})
    # then
    assert response.status_code == 200, response.content
    assert response.json()["options"]


@pytest.mark.parametrize("params, field, code", [
    ({"country": "USA"}, "country", "TOO_LONG"),
    ({"country": "U1"}, "country", "INVALID_FORMAT"),
    ({"state": "ZZ"}, "state", "INVALID_FORMAT"),
    ({"zip": "9410"}, "zip", "INVALID_FORMAT"),
])
def test_bad_query_is_a_422_with_field_errors(client, shipping_rates, make_product, make_cart, params, field, code):
    # given
    cart = make_cart([(make_product(), 1)])
    # when
    response = options_for(client, cart, **params)
    # then
    assert response.status_code == 422
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [(field, code)]


def test_missing_parameters_are_required(client):
    response = client.get(URL)
    assert response.status_code == 422
    assert {(e["field"], e["code"]) for e in response.json()["errors"]} == {("cart_id", "REQUIRED"),
                                                                           ("country", "REQUIRED")}


def test_unknown_cart_is_404_cart_not_found(client, shipping_rates):
    response = client.get(URL, {"cart_id": "cart_nope", "country": "US", "state": "CA", "zip": "94105"})
    assert response.status_code == 404
    assert response.json()["error"] == "CART_NOT_FOUND"


def test_undeliverable_address_is_422_on_shipping_address(client, shipping_rates, make_product, make_cart):
    cart = make_cart([(make_product(), 1)])
    response = client.get(URL, {"cart_id": cart.id, "country": "BR"})
    assert response.status_code == 422
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [("shipping_address",
                                                                             "UNDELIVERABLE_ADDRESS")]


def test_rate_limited_like_the_session_reads(client, shipping_rates, make_product, make_cart, behind_proxy):
    # given
    cart = make_cart([(make_product(), 1)])
    ip = {"X-Forwarded-For": "198.51.100.20"}
    # when
    statuses = [client.get(URL, {"cart_id": cart.id, "country": "GB"}, headers=ip).status_code for _ in range(31)]
    # then
    assert statuses[:30] == [200] * 30
    assert statuses[30] == 429


def start_session(client, cart) -> tuple[str, dict]:
    created = client.post(SESSION_URL, {"cart_id": cart.id}, content_type="application/json").json()
    return f"{SESSION_URL}/{created['session_id']}", {"Authorization": f"Bearer {created['session_token']}"}


def patch(client, url, auth, body):
    return client.patch(url, json.dumps(body), content_type="application/json", headers=auth)


def test_session_shows_the_quote_once_the_address_is_known(client, shipping_rates, make_product, make_cart):
    # given
    cart = make_cart([(make_product(price="10.00"), 1)])
    url, auth = start_session(client, cart)
    before = client.get(url, headers=auth).json()
    # when
    patch(client, url, auth, {"email": "s@example.com", "shipping_address": CA})
    cheapest = client.get(url, headers=auth).json()
    chosen = patch(client, url, auth, {"shipping_method": "express"}).json()
    # then
    assert before["quote"] is None and before["shipping_method"] is None
    options = options_for(client, cart).json()["options"]
    assert cheapest["quote"]["shipping_method"] == options[0]["code"]
    assert chosen["shipping_method"] == "express"
    assert chosen["quote"]["shipping_method"] == "express"
    assert client.get(url, headers=auth).json()["quote"] == chosen["quote"]


def test_session_refuses_a_method_that_does_not_ship_there(client, shipping_rates, make_product, make_cart):
    # given
    cart = make_cart([(make_product(), 1)])
    url, auth = start_session(client, cart)
    # when
    too_early = patch(client, url, auth, {"shipping_method": "express"})
    patch(client, url, auth, {"shipping_address": CA})
    unknown = patch(client, url, auth, {"shipping_method": "teleport"})
    # then
    assert [(e["field"], e["code"]) for e in too_early.json()["errors"]] == [("shipping_method", "REQUIRED")]
    assert [(e["field"], e["code"]) for e in unknown.json()["errors"]] == [("shipping_method", "INVALID_CHOICE")]


def test_new_address_the_chosen_method_does_not_reach_falls_back_to_the_cheapest(client, shipping_rates,
                                                                                 make_product, make_cart):
    # given: express chosen for a US address
    cart = make_cart([(make_product(), 1)])
    url, auth = start_session(client, cart)
    patch(client, url, auth, {"shipping_address": CA, "shipping_method": "express"})
    # when: the shopper moves the parcel to London (no express there)
    london = {"line1": "10 Downing St", "city": "London", "zip": "SW1A 2AA", "country": "GB"}
    body = patch(client, url, auth, {"shipping_address": london}).json()
    # then
    assert body["shipping_method"] is None
    assert body["quote"]["shipping_method"] == client.get(URL, {"cart_id": cart.id, "country": "GB"}).json()[
        "options"][0]["code"]


def test_session_update_to_an_undeliverable_address_is_422(client, shipping_rates, make_product, make_cart):
    cart = make_cart([(make_product(), 1)])
    url, auth = start_session(client, cart)
    response = patch(client, url, auth, {"shipping_address": {**CA, "country": "BR", "state": "SP"}})
    assert response.status_code == 422
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [("shipping_address",
                                                                             "UNDELIVERABLE_ADDRESS")]


@pytest.mark.parametrize("refused_method", ["teleport", "express"])  # unknown; or no express to London
def test_a_checkout_refused_for_its_shipping_method_leaves_the_sessions_choice(client, shipping_rates, make_product,
                                                                              make_cart, refused_method):
    # given: express chosen on the session for a US address
    cart = make_cart([(make_product(price="10.00"), 1)])
    url, auth = start_session(client, cart)
    chosen = patch(client, url, auth, {"email": "s@example.com", "shipping_address": CA,
                                       "shipping_method": "express"}).json()
    address = CA if refused_method == "teleport" else {"line1": "10 Downing St", "city": "London",
                                                       "zip": "SW1A 2AA", "country": "GB"}
    # when: the checkout names a method that does not ship there
    refused = client.post("/api/v2/checkout/guest", {
        "cart_id": cart.id, "email": "s@example.com", "shipping_address": address, "payment_method_id": "pm_card_visa",
        "session_id": url.rsplit("/", 1)[1], "shipping_method": refused_method}, content_type="application/json",
        headers=auth)
    # then: refused, and the session still shows the shopper's valid choice and its quote
    assert refused.status_code == 422, refused.content
    assert [(e["field"], e["code"]) for e in refused.json()["errors"]] == [("shipping_method", "INVALID_CHOICE")]
    after = client.get(url, headers=auth).json()
    assert after["shipping_method"] == "express"
    assert after["quote"] == chosen["quote"] and after["quote"]["shipping_method"] == "express"
