"""What a guest checkout charges, over HTTP: subtotal + shipping + tax = total_charged to the cent, the
shipping method (the cheapest by default, or the one asked for), addresses nothing ships to, VAT-inclusive
destinations, exempt products, the free-shipping threshold, the Stripe charge and the refund of a cancellation
equal to the total, the dashboard's AOV, and many random carts that always sum and price the same."""
import json
import random
from datetime import UTC, datetime, time
from decimal import ROUND_HALF_UP, Decimal

import pytest

from apps.checkout.models import Order
from apps.checkout.selectors import cart_view
from apps.checkout.services.quote import checkout_quote
from apps.core.money import to_minor_units, to_money
from apps.experiments.public import DateRange, payment_method_dashboard
from apps.shipping.public import Destination, shipping_option
from apps.tax.testing import TaxRateFactory

pytestmark = pytest.mark.django_db

URL = "/api/v2/checkout/guest"
CA = {"line1": "1 Market St", "city": "San Francisco", "state": "CA", "zip": "94105", "country": "US"}
BERLIN = {"line1": "Unter den Linden 1", "city": "Berlin", "zip": "10117", "country": "DE"}
CA_RATE, DE_RATE = Decimal("7.25"), Decimal("19")


@pytest.fixture
def taxes(db):
    """California adds 7.25 % (shipping untaxed); Germany's prices include 19 % VAT (shipping taxed)."""
    TaxRateFactory(country="US", state="CA", standard_rate=CA_RATE, shipping_taxable=False)
    TaxRateFactory(country="DE", state="", standard_rate=DE_RATE, reduced_rate=Decimal("7"), shipping_taxable=True,
                   prices_include_tax=True)


def checkout(client, cart, address, **extra):
    body = {"cart_id": cart.id, "email": "amounts@example.com", "shipping_address": address,
            "payment_method_id": "pm_card_visa", **extra}
    return client.post(URL, json.dumps(body), content_type="application/json",
                       headers={"Idempotency-Key": f"idk_{cart.id}"})


def tax_on_top(amount: Decimal, percent: Decimal) -> Decimal:
    return (amount * percent / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def tax_included(amount: Decimal, percent: Decimal) -> Decimal:
    return (amount - amount / (1 + percent / 100)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def money(body: dict, name: str) -> Decimal:
    return Decimal(str(body[name])).quantize(Decimal("0.01"))


def assert_sums(body: dict) -> None:
    assert money(body, "subtotal") + money(body, "shipping_total") + money(body, "tax_total") \
        == money(body, "total_charged")


def test_201_carries_amounts_that_sum_to_the_total_charged(client, local_stripe, shipping_rates, taxes, make_product,
                                                          make_cart):
    # given: two lines under the free-shipping threshold, shipped to California
    cable, adapter = make_product(price="12.99"), make_product(price="7.45")
    cart = make_cart([(cable, 2), (adapter, 1)])
    items = Decimal("12.99") * 2 + Decimal("7.45")
    # when
    response = checkout(client, cart, CA)
    # then
    assert response.status_code == 201, response.content
    body = response.json()
    standard = shipping_option(code="standard", destination=Destination("US", "CA", "94105"), subtotal=items,
                               weight_grams=0, currency="USD", placed_at=datetime.now(UTC))
    line_taxes = [tax_on_top(Decimal("25.98"), CA_RATE), tax_on_top(Decimal("7.45"), CA_RATE)]
    assert money(body, "subtotal") == items
    assert money(body, "shipping_total") == standard.price > 0
    assert money(body, "tax_total") == sum(line_taxes)
    assert_sums(body)
    assert b'"total_charged":' + str(items + standard.price + sum(line_taxes)).encode() in response.content
    order = Order.objects.get(id=body["order_id"])
    assert (order.subtotal, order.shipping_total, order.tax_total, order.total) == (
        items, standard.price, sum(line_taxes), money(body, "total_charged"))
    assert [line.tax_amount for line in order.lines.order_by("line_total").reverse()] == line_taxes
    assert order.tax_provider == "table" and order.prices_include_tax is False


def test_default_method_is_the_cheapest_and_sets_the_delivery_window(client, local_stripe, shipping_rates,
                                                                     make_product, make_cart):
    # given
    cart = make_cart([(make_product(price="10.00"), 1)])
    # when
    response = checkout(client, cart, CA)
    # then
    assert response.status_code == 201, response.content
    body, order = response.json(), Order.objects.get()
    options = {code: shipping_option(code=code, destination=Destination("US", "CA", "94105"),
                                     subtotal=Decimal("10.00"), weight_grams=0, currency="USD",
                                     placed_at=order.created_at) for code in ("standard", "express")}
    cheapest = min(options.values(), key=lambda option: option.price)
    assert body["shipping_method"] == order.shipping_method_code == cheapest.code
    assert money(body, "shipping_total") == cheapest.price
    assert body["delivery_window"] == {"earliest": cheapest.earliest_delivery.isoformat(),
                                       "latest": cheapest.latest_delivery.isoformat()}
    assert body["estimated_delivery"] == datetime.combine(cheapest.latest_delivery, time(0), tzinfo=UTC).strftime(
        "%Y-%m-%dT%H:%M:%SZ")


def test_chosen_method_is_charged_and_delivers_in_its_window(client, local_stripe, shipping_rates, make_product,
                                                            make_cart):
    # given
    cart = make_cart([(make_product(price="10.00"), 1)])
    # when
    response = checkout(client, cart, CA, shipping_method="express")
    # then
    assert response.status_code == 201, response.content
    body, order = response.json(), Order.objects.get()
    express = shipping_option(code="express", destination=Destination("US", "CA", "94105"), subtotal=Decimal("10"),
                              weight_grams=0, currency="USD", placed_at=order.created_at)
    assert (order.shipping_method_code, order.shipping_method_name) == ("express", express.name)
    assert money(body, "shipping_total") == express.price
    assert money(body, "total_charged") == Decimal("10.00") + express.price
    assert body["delivery_window"]["latest"] == express.latest_delivery.isoformat()


def test_free_shipping_from_the_threshold(client, local_stripe, shipping_rates, make_product, make_cart):
    # given: a cart exactly at the standard method's free-shipping threshold
    probe = shipping_option(code="standard", destination=Destination("US", "CA", "94105"), subtotal=Decimal("0"),
                            weight_grams=0, currency="USD", placed_at=datetime.now(UTC))
    cart = make_cart([(make_product(price=str(probe.free_shipping_threshold)), 1)])
    # when
    response = checkout(client, cart, CA)
    # then
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["shipping_method"] == "standard"
    assert money(body, "shipping_total") == Decimal("0.00")
    assert money(body, "total_charged") == probe.free_shipping_threshold


def test_address_nothing_ships_to_is_422_undeliverable_and_nothing_happens(client, local_stripe, shipping_rates,
                                                                          make_product, make_cart, on_hand):
    # given: Brazil is in no shipping zone
    product = make_product(stock=5)
    cart = make_cart([(product, 1)])
    address = {"line1": "Av. Paulista 1000", "city": "São Paulo", "state": "SP", "zip": "01310-100", "country": "BR"}
    # when
    response = checkout(client, cart, address)
    # then
    assert response.status_code == 422, response.content
    [error] = response.json()["errors"]
    assert (error["field"], error["code"]) == ("shipping_address", "UNDELIVERABLE_ADDRESS")
    assert "BR" in error["message"]
    assert not Order.objects.exists()
    assert on_hand(product) == 5
    assert local_stripe.call_count("POST", "/v1/payment_intents") == 0


@pytest.mark.parametrize("address, method", [(CA, "teleport"), (BERLIN, "express")])
def test_method_that_does_not_ship_there_is_422_on_shipping_method(client, local_stripe, shipping_rates,
                                                                   make_product, make_cart, address, method):
    # given
    cart = make_cart([(make_product(), 1)])
    # when
    response = checkout(client, cart, address, shipping_method=method)
    # then
    assert response.status_code == 422, response.content
    [error] = response.json()["errors"]
    assert (error["field"], error["code"]) == ("shipping_method", "INVALID_CHOICE")
    assert not Order.objects.exists()


def test_vat_inclusive_destination_charges_the_listed_prices_and_shows_the_vat(client, local_stripe, shipping_rates,
                                                                              taxes, make_product, make_cart):
    # given: a price list that includes German VAT
    cart = make_cart([(make_product(price="119.00"), 1), (make_product(price="8.50"), 2)])
    gross_items = Decimal("119.00") + Decimal("17.00")
    # when
    response = checkout(client, cart, BERLIN)
    # then
    assert response.status_code == 201, response.content
    body, order = response.json(), Order.objects.get()
    shipping_price = shipping_option(code=order.shipping_method_code, destination=Destination("DE", "", "10117"),
                                     subtotal=gross_items, weight_grams=0, currency="USD",
                                     placed_at=order.created_at).price
    line_vat = tax_included(Decimal("119.00"), DE_RATE) + tax_included(Decimal("17.00"), DE_RATE)
    shipping_vat = tax_included(shipping_price, DE_RATE)
    assert body["prices_include_tax"] is True
    assert money(body, "total_charged") == gross_items + shipping_price  # what the shopper saw
    assert money(body, "tax_total") == line_vat + shipping_vat
    assert money(body, "subtotal") == gross_items - line_vat
    assert money(body, "shipping_total") == shipping_price - shipping_vat
    assert_sums(body)
    assert order.prices_include_tax and order.total == gross_items + shipping_price


def test_exempt_product_is_not_taxed(client, local_stripe, shipping_rates, taxes, make_product, make_cart):
    # given: a taxed and an exempt product
    cart = make_cart([(make_product(price="20.00"), 1), (make_product(price="30.00", tax_category="exempt"), 1)])
    # when
    response = checkout(client, cart, CA)
    # then
    assert response.status_code == 201, response.content
    body, order = response.json(), Order.objects.get()
    assert money(body, "tax_total") == tax_on_top(Decimal("20.00"), CA_RATE)
    assert {line.line_total: line.tax_amount for line in order.lines.all()} == {
        Decimal("20.00"): tax_on_top(Decimal("20.00"), CA_RATE), Decimal("30.00"): Decimal("0.00")}
    assert_sums(body)


def test_stripe_charge_is_the_total_charged(client, local_stripe, shipping_rates, taxes, make_product, make_cart):
    # given
    cart = make_cart([(make_product(price="33.33"), 1)])
    # when
    response = checkout(client, cart, CA, shipping_method="express")
    # then
    assert response.status_code == 201, response.content
    [intent] = local_stripe.intents()
    assert intent["amount"] == to_minor_units(money(response.json(), "total_charged"))
    assert intent["amount"] == to_minor_units(Order.objects.get().total)


def test_state_is_optional_outside_the_us_and_required_inside(client, local_stripe, shipping_rates, make_product,
                                                              make_cart):
    # given
    abroad, home = make_cart([(make_product(), 1)]), make_cart([(make_product(), 1)])
    # when
    shipped_abroad = checkout(client, abroad, {**BERLIN, "state": ""})
    no_state = checkout(client, home, {key: value for key, value in CA.items() if key != "state"})
    # then
    assert shipped_abroad.status_code == 201, shipped_abroad.content
    assert Order.objects.get().shipping_state == ""
    assert no_state.status_code == 422
    assert [(e["field"], e["code"]) for e in no_state.json()["errors"]] == [("shipping_address.state", "REQUIRED")]


def test_same_cart_always_gets_the_same_tax(client, local_stripe, shipping_rates, taxes, make_product, make_cart):
    # given: two identical carts
    product = make_product(price="19.99")
    carts = [make_cart([(product, 3)]), make_cart([(product, 3)])]
    # when
    bodies = [checkout(client, cart, CA).json() for cart in carts]
    # then
    assert bodies[0]["tax_total"] == bodies[1]["tax_total"] == float(tax_on_top(to_money("59.97"), CA_RATE))


def test_cancellation_before_shipment_refunds_items_tax_and_shipping(client, local_stripe, shipping_rates, taxes,
                                                                    make_product, make_cart):
    # given: a paid order with shipping and tax
    cart = make_cart([(make_product(price="12.00"), 1)])
    body = checkout(client, cart, CA).json()
    assert money(body, "shipping_total") > 0 and money(body, "tax_total") > 0
    # when
    response = client.post(f"/api/v1/orders/{body['order_id']}/cancel", {
        "email": "amounts@example.com", "confirmation_token": body["confirmation_token"]},
        content_type="application/json")
    # then: everything charged comes back
    assert response.status_code == 200, response.content
    (refund,) = local_stripe.store.refunds.values()
    assert refund["amount"] == to_minor_units(money(body, "total_charged"))


def test_payment_method_dashboard_aov_is_the_total_charged(client, local_stripe, shipping_rates, taxes, make_product,
                                                          make_cart):
    # given: two card orders with shipping and tax
    carts = [make_cart([(make_product(price="12.00"), 1)]), make_cart([(make_product(price="70.00"), 1)])]
    charged = [money(checkout(client, cart, CA, shipping_method="express").json(), "total_charged")
               for cart in carts]
    # when
    today = datetime.now(UTC).date()
    dashboard = payment_method_dashboard(date_range=DateRange(start=today, end=today))
    # then: revenue and AOV count what was charged (items, shipping and tax), not the subtotals
    card = next(row for row in dashboard["methods"] if row["method"] == "card")
    assert card["orders"] == 2
    assert card["revenue"] == sum(charged)
    assert card["average_order_value"] == to_money(sum(charged) / 2)


@pytest.mark.parametrize("destination", [Destination("US", "CA", "94105"), Destination("DE", "", "10117")])
def test_many_random_carts_sum_exactly_and_price_the_same_twice(shipping_rates, taxes, make_product, make_cart,
                                                                 destination):
    # given: random carts of up to 12 lines with odd prices and quantities, some reduced-rate or exempt
    rng = random.Random(15)
    categories = ["standard", "standard", "reduced", "exempt"]
    for _ in range(25):
        cart = make_cart([(make_product(price=f"{rng.randint(1, 50000) / 100:.2f}",
                                        tax_category=rng.choice(categories)), rng.randint(1, 7))
                          for _ in range(rng.randint(1, 12))])
        view = cart_view(cart_id=cart.id)
        # when
        first, again = (checkout_quote(cart=view, destination=destination, placed_at=datetime.now(UTC))
                        for _ in range(2))
        # then
        assert first.subtotal + first.shipping_total + first.tax_total == first.total_charged
        listed = first.items_total + first.option.price
        assert first.total_charged == (listed if first.prices_include_tax else listed + first.tax_total)
        assert (first.subtotal, first.shipping_total, first.tax_total, first.lines) == (
            again.subtotal, again.shipping_total, again.tax_total, again.lines)
