"""The confirmation page through HTTP: only the shopper who placed the order (their session) or the
account with the order's email sees it; the guest-to-registered conversion creates that account."""
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from apps.checkout.models import Order
from apps.checkout.testing import send_queued_emails

from ..shopper import PASSWORD

pytestmark = pytest.mark.django_db
ADDRESS = {"line1": "742 Evergreen Terrace", "city": "Springfield", "state": "IL", "zip": "62704", "country": "US"}


@pytest.fixture
def placed(client, make_product, local_stripe):
    """A guest order placed the way the checkout page's script places it."""
    client.post("/cart/add", {"product_id": make_product(price="47.99").id})
    config = client.get("/checkout/").context["checkout_config"]
    response = client.post(config["checkoutApi"], {
        "cart_id": config["cartId"], "email": "user4827@example.com", "shipping_address": ADDRESS,
        "payment_method_id": "pm_card_visa", "session_id": config["sessionId"]},
        content_type="application/json", HTTP_IDEMPOTENCY_KEY="idk_page_test_1",
        HTTP_AUTHORIZATION=f"Bearer {config['sessionToken']}")
    assert response.status_code == 201, response.content
    return Order.objects.get(id=response.json()["order_id"])


def test_confirmation_shows_order_total_payment_method_and_delivery(client, placed):
    html = client.get(f"/checkout/confirmation/{placed.confirmation_token}/").content.decode()
    assert placed.id in html and "$47.99" in html and "Visa •••• 4242" in html
    assert placed.estimated_delivery.strftime("%B") in html
    assert "Save your details for next time" in html
    paid = f"{placed.total:,.2f}"  # the items, shipping and tax charged
    assert f"Paid ${paid}" in html and f"{paid} USD" not in html  # the timeline formats money as the page does
    assert client.get("/cart/").context["cart"] is None  # the ordered cart is no longer the shopper's


def test_another_visitor_cannot_see_the_confirmation(placed):
    assert Client().get(f"/checkout/confirmation/{placed.confirmation_token}/").status_code == 404


def test_conversion_creates_the_account_and_the_emailed_link_puts_the_order_in_it(client, placed):
    response = client.post(f"/checkout/confirmation/{placed.confirmation_token}/",
                           {"password1": PASSWORD, "password2": PASSWORD, "email": "attacker@example.com"})
    assert response["Location"] == "/accounts/confirm-email/"
    assert get_user_model().objects.get().email == "user4827@example.com"
    # the email typed at checkout proves nothing yet: no session, no order history
    assert client.get("/account/").status_code == 302
    send_queued_emails()
    (message,) = [m for m in mail.outbox if "confirm-email" in m.body]
    assert message.to == ["user4827@example.com"]
    link = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", message.body).group(1)
    assert client.post(link)["Location"] == "/account/"
    assert placed.id in client.get("/account/").content.decode()
