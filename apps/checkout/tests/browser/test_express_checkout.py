"""Express checkout (CHKOUT-1970) in the browser: the dialog shows summary, address and card and
places the order when its 5 seconds end; Escape cancels it (no order, no charge); a saved card that needs
3-D Secure shows the bank's (simulated) challenge first: Complete → confirmation, Fail → message, no charge."""
import re

import pytest
from django.core import mail

from apps.checkout.models import Order
from apps.checkout.testing import send_queued_emails
from apps.inventory.public import stock_on_hand

from ..shopper import PASSWORD, customer, flags

pytestmark = pytest.mark.browser


def sign_in(page, live_server, card: str = "pm_card_visa"):
    flags(express_checkout=True)
    user = customer(card=card)
    page.goto(f"{live_server.url}/accounts/login/?next=/products/prod_monitor_32in/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/products/prod_monitor_32in/")
    return user


@pytest.fixture
def signed_in(page, live_server, shop, local_stripe):
    return sign_in(page, live_server)


@pytest.fixture
def challenge(page, live_server, shop, local_stripe):
    """A customer whose saved card needs 3-D Secure, past the express window: the bank's challenge."""
    sign_in(page, live_server, card="pm_card_authenticationRequired")
    page.get_by_role("button", name="Express checkout").click()
    dialog = page.get_by_role("dialog", name="Confirm this payment")
    dialog.wait_for(state="visible", timeout=12_000)
    assert "$449.00 USD" in dialog.inner_text() and "Visa •••• 3184" in dialog.inner_text()
    assert Order.objects.get().status == Order.Status.PENDING
    return dialog


def test_express_dialog_places_the_order_when_the_window_ends(page, live_server, signed_in, local_stripe, shot,
                                                              axe_scan):
    page.get_by_role("button", name="Express checkout").click()
    dialog = page.get_by_role("dialog", name="Confirm your order")
    dialog.wait_for()
    assert "1600 Pennsylvania Ave" in dialog.inner_text() and "Visa •••• 4242" in dialog.inner_text()
    assert "$449.00" in dialog.inner_text()
    assert page.evaluate("document.activeElement.textContent") == "Cancel order"
    assert [v for v in axe_scan(page) if v["impact"] in ("serious", "critical")] == []
    shot(page, "express-dialog")

    page.wait_for_url("**/checkout/confirmation/**", timeout=12_000)
    order = Order.objects.get()
    assert order.status == Order.Status.PAID and order.email == signed_in.email
    assert page.locator("[data-payment-method]").inner_text() == "Visa •••• 4242"
    assert len(local_stripe.intents()) == 1


def test_escape_cancels_the_express_order(page, live_server, signed_in, local_stripe, shot):
    page.get_by_role("button", name="Express checkout").click()
    page.get_by_role("dialog", name="Confirm your order").wait_for()
    page.keyboard.press("Escape")
    page.get_by_text("Express order cancelled. You have not been charged.").wait_for()
    assert not page.get_by_role("dialog").is_visible()
    assert page.evaluate("document.activeElement.textContent") == "Express checkout"
    page.wait_for_timeout(6000)  # past the window: the cancelled purchase stays cancelled
    assert Order.objects.count() == 0
    assert local_stripe.call_count("POST", "/v1/payment_intents") == 0
    shot(page, "express-cancelled")


def test_customer_sets_up_express_checkout_on_the_account_page(page, live_server, shop, local_stripe, shot,
                                                              axe_scan):
    flags(express_checkout=True)
    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("Email address").fill("new.customer@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.get_by_role("heading", name="Check your inbox").wait_for()
    send_queued_emails()
    (message,) = mail.outbox
    page.goto(live_server.url + re.search(r"https?://[^/]+(/accounts/confirm-email/\S+/)", message.body).group(1))
    page.get_by_role("button", name="Confirm my email").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/products/prod_monitor_32in/")
    assert page.get_by_role("button", name="Express checkout").count() == 0

    page.goto(f"{live_server.url}/account/")
    page.get_by_label("Card number").fill("5555 5555 5555 4444")
    page.get_by_label("Expiry date").fill("08 / 31")
    page.get_by_label("Security code").fill("321")
    with page.expect_navigation():
        page.get_by_role("button", name="Save card").click()
    page.get_by_role("button", name="Remove Mastercard •••• 4444").wait_for()
    page.get_by_label("Street address").fill("221B Baker Street")
    page.get_by_label("City").fill("Portland")
    page.get_by_label("State").fill("OR")
    page.get_by_label("ZIP code").fill("97201")
    with page.expect_navigation():
        page.get_by_role("button", name="Save address").click()
    page.get_by_text("221B Baker Street, Portland, OR 97201, US").wait_for()
    shot(page, "account-express-ready")
    assert [v for v in axe_scan(page) if v["impact"] in ("serious", "critical")] == []

    page.goto(f"{live_server.url}/products/prod_monitor_32in/")
    assert page.get_by_role("button", name="Express checkout").is_visible()


def test_express_with_a_card_needing_3ds_completes_the_challenge_then_confirms(page, challenge, local_stripe, shot):
    # when the shopper completes the bank's challenge
    shot(page, "express-3ds-challenge")
    challenge.get_by_role("button", name="Complete authentication").click()
    # then the same order is confirmed, paid once
    page.wait_for_url("**/checkout/confirmation/**")
    order = Order.objects.get()
    assert order.status == Order.Status.PAID
    assert [intent["status"] for intent in local_stripe.intents()] == ["succeeded"]
    assert len(local_stripe.store.charges) == 1


def test_express_with_a_failed_challenge_explains_and_charges_nothing(page, challenge, local_stripe, shot):
    # when the bank's check fails
    challenge.get_by_role("button", name="Fail authentication").click()
    # then the express dialog says so, nothing is charged and the stock is back
    express = page.get_by_role("dialog", name="Confirm your order")
    message = express.locator("[data-express-error]")
    message.get_by_text("not been charged").wait_for()
    assert "could not confirm this payment" in message.inner_text()
    assert "/products/prod_monitor_32in/" in page.url
    assert not local_stripe.store.charges
    assert Order.objects.get().status == Order.Status.PAYMENT_FAILED
    assert stock_on_hand(product_ids=["prod_monitor_32in"]) == {"prod_monitor_32in": 50}
    express.get_by_role("button", name="Close").click()
    assert not express.is_visible()
    shot(page, "express-3ds-failed")
