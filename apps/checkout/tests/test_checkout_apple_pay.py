"""CHKOUT-1940 through the guest checkout API: `payment_method_type: "apple_pay"` reaches the Stripe
intent's payment_method_types, the order and the analytics event — and is refused while the flag is off."""
import json

import pytest
from django.apps import apps

from apps.checkout.models import Order

from .shopper import flags

pytestmark = pytest.mark.django_db

URL = "/api/v2/checkout/guest"
ADDRESS = {"line1": "350 Fifth Avenue", "city": "New York", "state": "NY", "zip": "10118", "country": "US"}


def checkout(client, cart, payment_method_type):
    body = {"cart_id": cart.id, "email": "wallet@example.com", "shipping_address": ADDRESS,
            "payment_method_id": "pm_apple_pay_TXN7F3A9BC2", "payment_method_type": payment_method_type}
    return client.post(URL, json.dumps(body), content_type="application/json")


def test_apple_pay_checkout_records_the_wallet_everywhere(client, local_stripe, make_product, make_cart):
    flags(apple_pay=True)
    cart = make_cart([(make_product(price="89.90"), 1)])

    response = checkout(client, cart, "apple_pay")

    assert response.status_code == 201, response.json()
    order = Order.objects.get()
    assert (order.payment_method_type, order.payment_method_label) == ("apple_pay", "Apple Pay")
    assert "apple_pay" in local_stripe.intents()[0]["payment_method_types"]
    outbox = apps.get_model("events", "OutboxEvent").objects
    paid = outbox.get(topic="analytics.events", payload__event="payment_completed").payload
    assert paid["properties"]["payment_method"] == "apple_pay"


def test_apple_pay_is_refused_while_the_flag_is_off(client, local_stripe, make_product, make_cart):
    flags(apple_pay=False)
    cart = make_cart([(make_product(), 1)])

    response = checkout(client, cart, "apple_pay")

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "payment_method_type"
    assert not Order.objects.exists() and local_stripe.intents() == []


def test_unknown_payment_method_type_is_a_validation_error(client, make_product, make_cart):
    response = checkout(client, make_cart([(make_product(), 1)]), "bitcoin")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "payment_method_type"
