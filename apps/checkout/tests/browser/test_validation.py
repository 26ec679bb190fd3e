"""guest-checkout-validation: each section validates on its own; the server's real messages appear
inline (aria-describedby, aria-invalid) and in the aria-live error summary."""
import pytest
from django.db import transaction

from apps.checkout.models import Order
from apps.inventory.public import stock_set

from .conftest import add_to_cart, fill_card, fill_shipping

pytestmark = pytest.mark.browser


def open_checkout(page, url):
    add_to_cart(page, url, "prod_monitor_32in")
    page.goto(f"{url}/checkout/")


def test_shipping_errors_are_the_servers_messages_inline_and_in_the_live_summary(page, live_server, shop, shot):
    open_checkout(page, live_server.url)
    fill_shipping(page, email="invalid-email-format", state="ZZ", zip="6270")

    summary = page.locator("#error-summary")
    assert summary.get_attribute("aria-live") == "polite"
    summary.get_by_text("Email address is not valid", exact=True).wait_for()  # already names its field
    assert "State / region: 'ZZ' is not a US state code" in summary.inner_text()
    assert "ZIP code: '6270' is not a valid US ZIP code" in summary.inner_text()
    email = page.get_by_label("Email address")
    assert email.get_attribute("aria-invalid") == "true"
    assert "f-email-error" in email.get_attribute("aria-describedby")
    assert page.locator("#f-email-error").inner_text() == "Email address is not valid"
    assert page.locator("#step-payment").get_attribute("class").count("is-open") == 0
    shot(page, "validation-shipping-errors")

    page.get_by_label("City").fill("")
    page.get_by_role("button", name="Continue to payment").click()
    summary.get_by_text("City is required", exact=True).wait_for()
    assert page.locator("#f-city-error").inner_text() == "City is required"

    fill_shipping(page)
    page.get_by_label("Card number").wait_for(state="visible")
    assert not page.locator("[data-summary]").is_visible()
    assert email.get_attribute("aria-invalid") is None
    assert "f-email-error" not in (email.get_attribute("aria-describedby") or "")


def test_payment_section_validates_the_card_on_its_own(page, live_server, shop, shot):
    open_checkout(page, live_server.url)
    fill_shipping(page)
    fill_card(page, number="4242 4242 4242 4241", exp="13 / 30", cvc="1")
    page.locator("#f-card-number-error").get_by_text("Card number is not valid").wait_for()
    assert page.locator("#f-card-exp-error").inner_text() == "Expiry month must be between 01 and 12"
    assert page.locator("#f-card-cvc-error").inner_text() == "Security code is 3 or 4 digits"
    assert page.get_by_label("Card number").get_attribute("aria-invalid") == "true"
    assert page.locator("#step-shipping .step-summary").is_visible()
    shot(page, "validation-payment-errors")


def test_declined_card_shows_the_gateway_message_and_reopens_payment(page, live_server, shop, local_stripe):
    open_checkout(page, live_server.url)
    fill_shipping(page)
    fill_card(page, number="4000 0000 0000 0002")
    page.locator("[data-place-order]").click()
    page.locator("#f-payment-error").get_by_text("Your card was declined.").wait_for()
    assert "Your card was declined." in page.locator("#error-summary").inner_text()
    assert "is-open" in page.locator("#step-payment").get_attribute("class")

    fill_card(page)
    page.locator("[data-place-order]").click()
    page.wait_for_url("**/checkout/confirmation/**")


def test_out_of_stock_at_place_order_links_back_to_the_cart(page, live_server, shop, local_stripe):
    # given a shopper at review whose product sells out meanwhile
    open_checkout(page, live_server.url)
    fill_shipping(page)
    fill_card(page)
    with transaction.atomic():
        stock_set(product_id="prod_monitor_32in", quantity=0, note="sold out in the test")
    # when they place the order
    page.locator("[data-place-order]").click()
    # then the summary explains and links back to the cart, which the link opens; nothing was charged
    link = page.locator("#error-summary").get_by_role("link", name="your cart page")
    link.wait_for()
    assert "place the order again" in page.locator("#error-summary").inner_text()
    assert Order.objects.filter(status=Order.Status.PAID).count() == 0
    assert local_stripe.call_count("POST", "/v1/payment_intents") == 0
    link.click()
    page.wait_for_url("**/cart/")
