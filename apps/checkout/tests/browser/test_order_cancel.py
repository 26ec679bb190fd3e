"""A guest cancels a just-placed order from the order page: refunded, stock back, timeline updated."""
import pytest

from apps.checkout.models import Order
from apps.inventory.public import stock_on_hand

from .conftest import checkout_to_review

pytestmark = pytest.mark.browser


def test_shopper_cancels_from_the_order_page(page, live_server, shop, local_stripe, shot):
    checkout_to_review(page, live_server.url, email="cancel.me@example.com")
    page.locator("[data-place-order]").click()
    page.wait_for_url("**/checkout/confirmation/**")
    assert stock_on_hand(product_ids=["prod_monitor_32in"])["prod_monitor_32in"] == 49

    page.get_by_role("button", name="Cancel order").click()

    page.locator("[data-timeline]").get_by_text("Order cancelled and refunded").wait_for()
    assert page.locator("[data-order-status]").inner_text() == "Cancelled"
    assert page.get_by_role("button", name="Cancel order").count() == 0
    order = Order.objects.get(email="cancel.me@example.com")
    assert order.status == Order.Status.CANCELLED
    assert stock_on_hand(product_ids=["prod_monitor_32in"])["prod_monitor_32in"] == 50
    assert len(local_stripe.store.refunds) == 1
    shot(page, "order-cancelled")
