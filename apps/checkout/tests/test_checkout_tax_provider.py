"""The checkout with Stripe Tax (TAX_PROVIDER=stripe) against the local Stripe server: the order keeps the
calculation, the tax transaction is recorded once the order is paid, and an unreachable Stripe Tax answers
the envelope's 503 with Retry-After without placing an order or charging."""
import json
from decimal import Decimal

import pytest

from apps.checkout.models import Order

pytestmark = pytest.mark.django_db

URL = "/api/v2/checkout/guest"
CA = {"line1": "1 Market St", "city": "San Francisco", "state": "CA", "zip": "94105", "country": "US"}


def checkout(client, cart):
    body = {"cart_id": cart.id, "email": "tax@example.com", "shipping_address": CA, "payment_method_id": "pm_card_visa"}
    return client.post(URL, json.dumps(body), content_type="application/json",
                       headers={"Idempotency-Key": f"idk_{cart.id}"})


def test_paid_order_records_its_stripe_tax_transaction(client, stripe_tax, shipping_rates, make_product, make_cart,
                                                       django_capture_on_commit_callbacks, tasks_run):
    # given
    cart = make_cart([(make_product(price="40.00"), 1)])
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = checkout(client, cart)
    # then
    assert response.status_code == 201, response.content
    order = Order.objects.get()
    assert order.tax_provider == "stripe" and order.tax_calculation_id.startswith("taxcalc_")
    assert order.tax_total > 0
    assert order.total == order.subtotal + order.shipping_total + order.tax_total
    [intent] = stripe_tax.intents()
    assert intent["amount"] == int(order.total * 100)
    [recorded] = stripe_tax.store.tax_transactions.values()
    assert (recorded["reference"], recorded["calculation"]) == (order.id, order.tax_calculation_id)


def test_unreachable_stripe_tax_is_503_with_retry_after_and_no_order(client, stripe_tax, shipping_rates,
                                                                     make_product, make_cart, on_hand):
    # given: Stripe answers 502 to everything for a while
    product = make_product(price="40.00", stock=3)
    cart = make_cart([(product, 1)])
    stripe_tax.fail("502", count=20)
    # when
    response = checkout(client, cart)
    # then
    assert response.status_code in (502, 503), response.content
    assert int(response["Retry-After"]) > 0
    assert response.json()["error"] == "TAX_SERVICE_UNAVAILABLE"
    assert not Order.objects.exists()
    assert on_hand(product) == 3
    assert stripe_tax.call_count("POST", "/v1/payment_intents") == 0


def test_table_provider_records_no_transaction(client, local_stripe, shipping_rates, make_product, make_cart,
                                               django_capture_on_commit_callbacks, tasks_run):
    cart = make_cart([(make_product(price="40.00"), 1)])
    with django_capture_on_commit_callbacks(execute=True):
        response = checkout(client, cart)
    assert response.status_code == 201
    assert Order.objects.get().tax_calculation_id == ""
    assert local_stripe.call_count("POST", "/v1/tax/transactions/create_from_calculation") == 0
    assert Decimal(str(response.json()["tax_total"])) == Order.objects.get().tax_total


def cancel(client, order):
    return client.post(f"/api/v1/orders/{order.id}/cancel", {"email": order.email,
                                                              "confirmation_token": order.confirmation_token},
                       content_type="application/json")


def test_a_cancelled_order_reverses_its_stripe_tax_transaction_once(client, stripe_tax, shipping_rates, make_product,
                                                                    make_cart, django_capture_on_commit_callbacks,
                                                                    tasks_run):
    # given: a paid order (42.00 of items, under the free-shipping threshold) whose tax transaction Stripe holds
    cart = make_cart([(make_product(price="15.00"), 2), (make_product(price="12.00"), 1)])
    with django_capture_on_commit_callbacks(execute=True):
        assert checkout(client, cart).status_code == 201
    order = Order.objects.get()
    [original] = stripe_tax.store.tax_transactions.values()
    # when: the shopper cancels, and asks again
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = cancel(client, order)
    with django_capture_on_commit_callbacks(execute=True):
        again = cancel(client, order)
    # then: one full reversal, of every line, its tax and the shipping
    assert (cancelled.status_code, again.status_code) == (200, 200)
    [refund] = stripe_tax.store.refunds.values()
    reversals = [t for t in stripe_tax.store.tax_transactions.values() if t["type"] == "reversal"]
    assert len(reversals) == 1 and stripe_tax.call_count("POST", "/v1/tax/transactions/create_reversal") == 1
    [reversal] = reversals
    assert reversal["reversal"]["original_transaction"] == original["id"]
    assert reversal["reference"] == f"{order.id}-{refund['id']}"
    lines = stripe_tax.store.tax_transaction_line_items[reversal["id"]]
    assert sorted((line["reference"], line["amount"], line["amount_tax"]) for line in lines) == sorted(
        (line.product_id, -int(line.line_total * 100), -int(line.tax_amount * 100)) for line in order.lines.all())
    shipping = reversal["shipping_cost"]
    assert sum(line["amount_tax"] for line in lines) + shipping["amount_tax"] == -int(order.tax_total * 100)
    assert shipping["amount"] == -int(order.shipping_total * 100) == -599


def test_a_cancelled_order_of_the_table_provider_reverses_nothing(client, local_stripe, shipping_rates, make_product,
                                                                 make_cart, django_capture_on_commit_callbacks,
                                                                 tasks_run):
    cart = make_cart([(make_product(price="40.00"), 1)])
    with django_capture_on_commit_callbacks(execute=True):
        assert checkout(client, cart).status_code == 201
    with django_capture_on_commit_callbacks(execute=True):
        assert cancel(client, Order.objects.get()).status_code == 200

    assert len(local_stripe.store.refunds) == 1
    assert local_stripe.call_count("POST", "/v1/tax/transactions/create_reversal") == 0
