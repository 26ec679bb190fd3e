"""guest-checkout-happy-path: cart → checkout → confirmation in two page transitions, one order, one charge."""
import pytest

from apps.checkout.models import Order

from .conftest import add_to_cart, fill_card, fill_shipping

pytestmark = pytest.mark.browser


def test_guest_checkout_happy_path_places_one_paid_order_in_two_page_transitions(page, live_server, shop,
                                                                                 local_stripe, shot):
    add_to_cart(page, live_server.url, "prod_monitor_32in")
    transitions = []
    page.on("framenavigated", lambda frame: transitions.append(frame.url) if frame == page.main_frame else None)
    page.get_by_role("link", name="Check out").click()
    page.wait_for_url("**/checkout/")
    fill_shipping(page)
    fill_card(page)
    page.locator("[data-place-order]").wait_for(state="visible")
    shot(page, "happy-path-review")
    page.locator("[data-place-order]").click()
    page.wait_for_url("**/checkout/confirmation/**")
    page.wait_for_load_state()

    assert len(transitions) == 2, transitions
    order = Order.objects.get()
    assert order.status == Order.Status.PAID
    assert page.locator("[data-order-id]").inner_text() == order.id
    assert page.locator("[data-total]").inner_text() == "$449.00"
    assert page.locator("[data-payment-method]").inner_text() == "Visa •••• 4242"
    assert page.locator("[data-estimated-delivery]").inner_text() == order.estimated_delivery.strftime("%A, %B %-d, %Y")
    assert local_stripe.call_count("POST", "/v1/payment_intents") == 1
    shot(page, "happy-path-confirmation")


def test_cart_page_changes_quantities_before_checkout(page, live_server, shop, local_stripe):
    add_to_cart(page, live_server.url, "prod_cable_usbc", quantity=2)
    page.get_by_label("Quantity of USB-C Cable 2 Meter").fill("3")
    page.get_by_role("button", name="Update").click()
    page.get_by_text("$38.97").first.wait_for()
    page.get_by_role("link", name="Check out").click()
    assert "Place order · $38.97" in page.locator("[data-place-order]").inner_text()
