"""Helpers shared by the page tests and the browser tests: a registered customer set up for express
checkout through the payments API (saved card + default address) and flags in a known state."""
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.test import Client

from apps.experiments.public import flag_configure

PASSWORD = "correct-horse-battery-9"
DEFAULT_ADDRESS = {"line1": "1600 Pennsylvania Ave", "line2": "Suite 200", "city": "Washington", "state": "DC",
                   "zip": "20500", "country": "US"}


def flags(**states: bool) -> None:
    """`flags(express_checkout=True, apple_pay=False)`: each flag on for everyone, or off."""
    for key, on in states.items():
        flag_configure(key, enabled=on, rollout_percentage=100 if on else 0, client_side=True,
                       reason="test setup")


def customer(email: str = "shopper.test@example.com", *, card: str = "pm_card_visa", address: bool = True):
    """A registered customer who verified the email; with a saved default card (through the local Stripe
    server; a card that needs 3-D Secure is authenticated as the account page would) and address."""
    user = get_user_model().objects.create_user(username=email, email=email, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    client = Client()
    client.force_login(user)
    if card:
        response = save_card(client, card)
        if response.status_code == 202:
            answered = client.post("/checkout/test-authentication", {
                "client_secret": response.json()["setup_intent_client_secret"], "outcome": "complete"},
                content_type="application/json")
            assert answered.status_code == 200, answered.content
            response = save_card(client, card)
        assert response.status_code == 201, response.content
    if address:
        response = client.put("/api/v1/addresses/default", DEFAULT_ADDRESS, content_type="application/json")
        assert response.status_code == 200, response.content
    return user


def save_card(client: Client, card: str):
    return client.post("/api/v1/payment-methods", {"payment_method_id": card, "make_default": True},
                       content_type="application/json")
