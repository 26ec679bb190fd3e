"""3-D Secure in local mode (issue 13): a card that needs authentication (4000 0027 6000 3184) makes the order
answer 202; the page shows the simulated challenge, the shopper's answer goes to the local Stripe server, and
the page sends the order again: Complete → confirmation with the order paid; Fail → a clear message, the cart
intact, no charge."""
import pytest

from apps.checkout.models import Order
from apps.inventory.public import stock_on_hand

from .conftest import SCREENSHOTS, add_to_cart, fill_card, fill_shipping

pytestmark = pytest.mark.browser
AUTHENTICATION_CARD = "4000 0027 6000 3184"


def place_order_with_authentication_card(page, base_url: str) -> None:
    add_to_cart(page, base_url, "prod_monitor_32in")
    page.get_by_role("link", name="Check out").click()
    page.wait_for_url("**/checkout/")
    fill_shipping(page)
    page.get_by_label("Card number").wait_for(state="visible")
    fill_card(page, number=AUTHENTICATION_CARD)
    page.locator("[data-place-order]").click()


def test_completed_challenge_pays_the_order(page, live_server, shop, local_stripe, shot, axe_scan):
    # given a shopper paying with a card that needs authentication
    page.set_viewport_size({"width": 1280, "height": 900})
    place_order_with_authentication_card(page, live_server.url)

    # then the bank's challenge is shown and the order waits, unpaid
    challenge = page.get_by_role("dialog", name="Confirm this payment")
    challenge.wait_for(state="visible")
    assert "$449.00 USD" in challenge.inner_text() and "Visa •••• 3184" in challenge.inner_text()
    assert page.evaluate("document.activeElement.textContent") == "Complete authentication"
    assert axe_scan(page) == []
    assert Order.objects.get().status == Order.Status.PENDING
    assert [intent["status"] for intent in local_stripe.intents()] == ["requires_action"]
    assert stock_on_hand(product_ids=["prod_monitor_32in"]) == {"prod_monitor_32in": 49}  # reserved meanwhile
    # (the viewport, as the shopper sees the modal; a full-page capture would stretch its backdrop)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "checkout-3ds-challenge-1280.png"))
    page.set_viewport_size({"width": 375, "height": 812})
    page.screenshot(path=str(SCREENSHOTS / "checkout-3ds-challenge-375.png"))
    shot(page, "checkout-3ds-review-375")

    # when the shopper completes it
    challenge.get_by_role("button", name="Complete authentication").click()

    # then the same order is confirmed, paid once
    page.wait_for_url("**/checkout/confirmation/**")
    assert page.get_by_role("heading", level=1).inner_text() == "Thank you — your order is confirmed"
    order = Order.objects.get()
    assert order.status == Order.Status.PAID
    assert [intent["status"] for intent in local_stripe.intents()] == ["succeeded"]
    assert len(local_stripe.store.charges) == 1


def test_failed_challenge_explains_keeps_the_cart_and_charges_nothing(page, live_server, shop, local_stripe, shot):
    # given a shopper facing the challenge
    place_order_with_authentication_card(page, live_server.url)
    challenge = page.get_by_role("dialog", name="Confirm this payment")
    challenge.wait_for(state="visible")

    # when the bank's check fails
    challenge.get_by_role("button", name="Fail authentication").click()

    # then the shopper reads why, on the checkout page, with nothing charged and the stock back
    message = page.locator("#f-payment-error")
    message.wait_for(state="visible")
    assert "could not confirm this payment" in message.inner_text()
    assert "not been charged" in message.inner_text()
    assert page.locator("[data-summary]").is_visible()
    assert challenge.is_hidden()
    assert "/checkout/" in page.url
    assert not local_stripe.store.charges
    assert all(intent["status"] != "succeeded" for intent in local_stripe.intents())
    assert Order.objects.get().status != Order.Status.PAID
    assert stock_on_hand(product_ids=["prod_monitor_32in"]) == {"prod_monitor_32in": 50}
    shot(page, "checkout-3ds-failed")

    # and the cart is still there to pay with another card
    page.goto(f"{live_server.url}/cart/")
    assert page.get_by_role("link", name='32" 4K Pro Monitor').is_visible()
    assert page.get_by_label("1 items").is_visible()  # the header's cart badge
    page.get_by_role("link", name="Check out").click()
    page.wait_for_url("**/checkout/")
    assert page.get_by_role("button", name="Continue to payment").is_visible()


def test_closing_the_challenge_leaves_the_order_unpaid_and_try_again_reopens_it(page, live_server, shop, local_stripe):
    # given the challenge is closed with Escape (no answer to the bank)
    place_order_with_authentication_card(page, live_server.url)
    challenge = page.get_by_role("dialog", name="Confirm this payment")
    challenge.wait_for(state="visible")
    page.keyboard.press("Escape")

    # then the page says the check is unfinished and nothing is charged
    problem = page.locator("#payment-problem")
    problem.get_by_text("was not finished").wait_for()
    assert not local_stripe.store.charges

    # when the shopper tries again and completes it, the order is paid
    page.get_by_role("button", name="Try again").click()
    challenge.get_by_role("button", name="Complete authentication").click()
    page.wait_for_url("**/checkout/confirmation/**")
    assert Order.objects.get().status == Order.Status.PAID
    assert len(local_stripe.store.charges) == 1
