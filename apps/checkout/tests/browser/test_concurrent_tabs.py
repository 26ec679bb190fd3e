"""guest-checkout-concurrent-tabs: two tabs of one shopper place the same cart; both end on the same
confirmation, with one order and one charge."""
import pytest

from apps.checkout.models import Order

from .conftest import checkout_to_review, fill_card, fill_shipping

pytestmark = pytest.mark.browser


def test_two_tabs_placing_the_same_cart_make_one_order(context, page, live_server, shop, local_stripe):
    checkout_to_review(page, live_server.url)
    second = context.new_page()
    second.goto(f"{live_server.url}/checkout/")
    fill_shipping(second, email="user4827@example.com")
    fill_card(second)
    second.locator("[data-place-order]").wait_for(state="visible")

    page.locator("[data-place-order]").click()
    second.locator("[data-place-order]").click()
    page.wait_for_url("**/checkout/confirmation/**")
    second.wait_for_url("**/checkout/confirmation/**")

    order = Order.objects.get()
    assert page.url == second.url
    assert order.confirmation_token in page.url
    assert len(local_stripe.intents()) == 1
