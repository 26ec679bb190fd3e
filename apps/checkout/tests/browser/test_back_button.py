"""The seed's Cypress list: the browser back button during checkout. Going back and forward keeps what the
shopper entered and the same guest session, and no amount of back, forward and clicking places a second order."""
import json

import pytest

from apps.checkout.models import Order

from .conftest import add_to_cart, fill_card, fill_shipping

pytestmark = pytest.mark.browser


def checkout_session_id(page) -> str:
    return json.loads(page.locator("#checkout-config").text_content())["sessionId"]


def test_back_and_forward_keep_the_entered_data_and_the_session(page, live_server, shop, local_stripe):
    add_to_cart(page, live_server.url, "prod_monitor_32in")
    page.get_by_role("link", name="Check out").click()
    page.wait_for_url("**/checkout/")
    session_id = checkout_session_id(page)
    fill_shipping(page, email="back.button@example.com", line1="12 Rewind Road")
    page.get_by_label("Card number").wait_for(state="visible")

    page.go_back()
    page.wait_for_url("**/cart/")
    page.go_forward()
    page.wait_for_url("**/checkout/")

    assert checkout_session_id(page) == session_id
    assert page.get_by_label("Email address").input_value() == "back.button@example.com"
    assert page.get_by_label("Street address").input_value() == "12 Rewind Road"
    assert page.get_by_label("ZIP code").input_value() == "62704"


def test_back_after_placing_the_order_never_places_a_second_one(page, live_server, shop, local_stripe):
    add_to_cart(page, live_server.url, "prod_monitor_32in")
    page.get_by_role("link", name="Check out").click()
    page.wait_for_url("**/checkout/")
    fill_shipping(page)
    fill_card(page)
    page.locator("[data-place-order]").click()
    page.wait_for_url("**/checkout/confirmation/**")
    confirmation_url = page.url

    page.go_back()
    page.wait_for_load_state()
    place_again = page.locator("[data-place-order]")
    if place_again.count() and place_again.is_visible():
        place_again.click()
        page.wait_for_timeout(1_000)
    page.go_forward()
    page.wait_for_load_state()

    assert Order.objects.count() == 1
    assert Order.objects.get().status == Order.Status.PAID
    assert local_stripe.call_count("POST", "/v1/payment_intents") == 1
    page.goto(confirmation_url)
    assert page.locator("[data-order-id]").inner_text() == Order.objects.get().id
