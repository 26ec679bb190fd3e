"""Express checkout (CHKOUT-1970) in the browser: the dialog shows summary, address and card and
places the order when its 5 seconds end; Escape cancels it (no order, no charge)."""
import re

import pytest
from django.core import mail

from apps.checkout.models import Order

from ..shopper import PASSWORD, customer, flags

pytestmark = pytest.mark.browser


@pytest.fixture
def signed_in(page, live_server, shop, local_stripe):
    flags(express_checkout=True)
    user = customer()
    page.goto(f"{live_server.url}/accounts/login/?next=/products/prod_monitor_32in/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/products/prod_monitor_32in/")
    return user


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
