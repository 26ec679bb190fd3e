"""The amounts on the pages through HTTP: the checkout page renders the session's quote (a reload keeps it), and
the confirmation page and email show the breakdown (listed prices, shipping, "VAT included" where prices
include it, total) and the delivery window."""
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core import mail

from apps.checkout.models import Order
from apps.checkout.testing import send_queued_emails
from apps.core.money import format_money
from apps.tax.testing import TaxRateFactory

pytestmark = pytest.mark.django_db
BERLIN = {"line1": "Unter den Linden 1", "city": "Berlin", "zip": "10117", "country": "DE"}


@pytest.fixture
def germany(db):
    TaxRateFactory(country="DE", state="", standard_rate=Decimal("19"), shipping_taxable=True, prices_include_tax=True)


def vat_in(amount: Decimal) -> Decimal:
    return (amount - amount / Decimal("1.19")).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def start(client, make_product) -> dict:
    client.post("/cart/add", {"product_id": make_product(price="119.00").id})
    return client.get("/checkout/").context["checkout_config"]


def test_checkout_page_renders_the_sessions_quote_after_a_reload(client, make_product, germany):
    # given: the shopper entered a German address
    config = start(client, make_product)
    patched = client.patch(config["sessionApi"], {"email": "k@example.com", "shipping_address": BERLIN},
                           content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {config['sessionToken']}")
    quote = patched.json()["quote"]
    # when: the page is loaded again
    response = client.get("/checkout/")
    html = response.content.decode()
    # then: the quote's amounts, with the VAT the prices include
    total = Decimal(str(quote["total_charged"]))
    assert total == Decimal("119.00") + Decimal(str(quote["shipping_price"]))
    assert "VAT included" in html and format_money(Decimal(str(quote["tax_total"]))) in html
    assert f'Place order · <span data-amount="total">{format_money(total)}</span>' in html
    assert response.context["checkout_config"]["total"] == str(total)


def test_confirmation_page_and_email_show_the_breakdown_and_window(client, make_product, germany, local_stripe):
    # given
    config = start(client, make_product)
    response = client.post(config["checkoutApi"], {
        "cart_id": config["cartId"], "email": "k@example.com", "shipping_address": BERLIN,
        "payment_method_id": "pm_card_visa", "session_id": config["sessionId"]},
        content_type="application/json", HTTP_IDEMPOTENCY_KEY="idk_vat_page",
        HTTP_AUTHORIZATION=f"Bearer {config['sessionToken']}")
    assert response.status_code == 201, response.content
    order = Order.objects.get()
    shipping_price = order.total - Decimal("119.00")
    # when
    html = client.get(f"/checkout/confirmation/{order.confirmation_token}/").content.decode()
    # then
    assert order.tax_total == vat_in(Decimal("119.00")) + vat_in(shipping_price)
    for amount in (Decimal("119.00"), shipping_price, order.tax_total, order.total):
        assert format_money(amount) in html
    assert "VAT included" in html
    assert order.delivery_earliest.strftime("%A, %B %-d") in html
    assert order.delivery_latest.strftime("%A, %B %-d, %Y") in html
    send_queued_emails()  # what the worker does after commit
    [email] = [message for message in mail.outbox if order.id in message.subject]
    assert "VAT included" in email.body and f"${order.total}" in email.body
