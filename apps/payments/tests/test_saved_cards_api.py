"""Saved cards and the default shipping address through HTTP, Stripe customers through the SDK."""
from decimal import Decimal

import pytest

from apps.core.testing import UserFactory
from apps.payments.models import StripeCustomer
from apps.payments.public import ChargeRequest, charge, express_checkout_details, saved_cards

pytestmark = pytest.mark.django_db

CARDS = "/api/v1/payment-methods"
ADDRESS = {"line1": "456 Oak Avenue", "line2": "Apt 12B", "city": "Austin", "state": "TX", "zip": "78701",
           "country": "US"}


@pytest.fixture
def shopper(client):
    user = UserFactory()
    client.force_login(user)
    return user


def save(client, pm, **extra):
    return client.post(CARDS, {"payment_method_id": pm, **extra}, content_type="application/json")


def test_save_list_default_remove(client, shopper, local_stripe):
    # when
    visa = save(client, "pm_card_visa")
    mastercard = save(client, "pm_card_mastercard")

    # then: one Stripe customer, the first card is the default
    assert visa.status_code == 201 and mastercard.status_code == 201
    assert visa.json()["label"] == "Visa •••• 4242" and visa.json()["is_default"] is True
    assert mastercard.json()["is_default"] is False
    assert len(local_stripe.store.customers) == 1
    cards = client.get(CARDS).json()["payment_methods"]
    assert {c["label"]: c["is_default"] for c in cards} == {"Visa •••• 4242": True, "Mastercard •••• 4444": False}

    # when: make the mastercard the default, then remove the visa
    mc_id = mastercard.json()["payment_method_id"]
    assert client.post(f"{CARDS}/{mc_id}/default").status_code == 200
    assert client.delete(f"{CARDS}/{visa.json()['payment_method_id']}").status_code == 204

    # then
    [remaining] = client.get(CARDS).json()["payment_methods"]
    assert remaining["payment_method_id"] == mc_id and remaining["is_default"] is True
    customer = StripeCustomer.objects.get(user=shopper)
    assert local_stripe.store.customers[customer.stripe_customer_id]["invoice_settings"][
        "default_payment_method"] == mc_id


def test_cannot_touch_someone_elses_card(client, shopper, local_stripe):
    other = UserFactory()
    client.force_login(other)
    their_card = save(client, "pm_card_visa").json()["payment_method_id"]
    client.force_login(shopper)
    save(client, "pm_card_mastercard")

    response = client.delete(f"{CARDS}/{their_card}")

    assert response.status_code == 404
    assert response.json()["error"] == "PAYMENT_METHOD_NOT_FOUND"


def test_anonymous_cannot_list_cards(client, local_stripe):
    response = client.get(CARDS)

    assert response.status_code == 403
    assert local_stripe.call_count() == 0


def test_invalid_payment_method_id_is_422(client, shopper, local_stripe):
    response = save(client, "card_4242")

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "payment_method_id"


def test_default_address_and_express_checkout(client, shopper, local_stripe):
    # given: nothing saved yet
    assert client.get("/api/v1/addresses/default").status_code == 404
    assert express_checkout_details(user_id=shopper.pk) is None

    # when
    card = save(client, "pm_card_visa").json()
    client.put("/api/v1/addresses/default", {**ADDRESS, "line1": "1 Old St"}, content_type="application/json")
    response = client.put("/api/v1/addresses/default", ADDRESS, content_type="application/json")

    # then
    assert response.status_code == 200
    assert client.get("/api/v1/addresses/default").json() == ADDRESS
    details = express_checkout_details(user_id=shopper.pk)
    assert details.payment_method_id == card["payment_method_id"]
    assert details.shipping_address.line1 == "456 Oak Avenue"

    # and express checkout can charge the saved card on the customer
    result = charge(ChargeRequest(order_id="ord_express", amount=Decimal("215.00"), currency="USD",
                                  payment_method_id=details.payment_method_id, checkout_type="express",
                                  stripe_customer_id=details.stripe_customer_id))
    assert result.status == "succeeded" and result.payment_method_label == "Visa •••• 4242"
    [intent] = local_stripe.intents()
    assert intent["customer"] == details.stripe_customer_id


def test_public_saved_cards_for_pages(client, shopper, local_stripe):
    assert saved_cards(user=shopper) == []
    save(client, "pm_card_amex")

    [card] = saved_cards(user=shopper)

    assert (card.label, card.is_default) == ("American Express •••• 8431", True)
