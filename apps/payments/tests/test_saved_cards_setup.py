"""Saving a card goes through a SetupIntent: a card whose bank wants 3-D Secure answers 202 with the
SetupIntent's client secret; saving it again after the challenge answers 201 (saved) or 402
AUTHENTICATION_FAILED (not saved). Driven through the local Stripe-compatible server."""
import pytest

from .factories import UserFactory

pytestmark = pytest.mark.django_db

CARDS = "/api/v1/payment-methods"


@pytest.fixture
def shopper(client):
    user = UserFactory()
    client.force_login(user)
    return user


def save(client, pm="pm_card_authenticationRequired"):
    return client.post(CARDS, {"payment_method_id": pm}, content_type="application/json")


def listed(client) -> list[str]:
    return [card["label"] for card in client.get(CARDS).json()["payment_methods"]]


def test_a_card_needing_authentication_is_saved_once_authenticated(client, shopper, local_stripe):
    # when
    pending = save(client)
    # then
    assert pending.status_code == 202, pending.content
    body = pending.json()
    [setup] = local_stripe.store.setup_intents.values()
    assert body == {"status": "requires_action", "setup_intent_id": setup["id"],
                    "setup_intent_client_secret": setup["client_secret"], "next_action_type": "use_stripe_sdk"}
    assert listed(client) == []
    # and: saved again before the challenge is answered, still 202 for the same SetupIntent
    assert save(client).json()["setup_intent_id"] == setup["id"]
    # when: the shopper completes the challenge and the page saves the card again
    local_stripe.authenticate(setup["id"], "complete")
    saved = save(client)
    # then
    assert saved.status_code == 201, saved.content
    assert saved.json()["label"] == "Visa •••• 3184" and saved.json()["is_default"] is True
    assert listed(client) == ["Visa •••• 3184"]
    assert len(local_stripe.store.setup_intents) == 1


def test_a_failed_authentication_does_not_save_the_card(client, shopper, local_stripe):
    save(client)
    [setup] = local_stripe.store.setup_intents.values()
    local_stripe.authenticate(setup["id"], "fail")
    # when
    response = save(client)
    # then
    assert response.status_code == 402
    assert response.json()["error"] == "PAYMENT_DECLINED"
    assert response.json()["decline_code"] == "AUTHENTICATION_FAILED"
    assert listed(client) == []


def test_a_declined_card_is_not_saved(client, shopper, local_stripe):
    response = save(client, "pm_card_chargeDeclined")
    assert response.status_code == 402 and response.json()["error"] == "PAYMENT_DECLINED"
    assert listed(client) == []


def test_a_card_without_authentication_is_saved_at_once(client, shopper, local_stripe):
    response = save(client, "pm_card_visa")
    assert response.status_code == 201 and response.json()["label"] == "Visa •••• 4242"
    [setup] = local_stripe.store.setup_intents.values()
    assert setup["status"] == "succeeded" and setup["usage"] == "off_session"
