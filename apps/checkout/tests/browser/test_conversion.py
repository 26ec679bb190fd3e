"""guest-to-registered-conversion: the confirmation page offers an account for the order's email; one
password and the link emailed to that address later, the shopper is signed in and the order is in their
history."""
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from apps.checkout.models import Order
from apps.checkout.testing import send_queued_emails

from .conftest import checkout_to_review

pytestmark = pytest.mark.browser


def place_guest_order(page, url, email="repeat.buyer@example.com"):
    checkout_to_review(page, url, email=email)
    page.locator("[data-place-order]").click()
    page.wait_for_url("**/checkout/confirmation/**")


def test_guest_turns_the_order_into_an_account(page, live_server, shop, local_stripe, shot):
    place_guest_order(page, live_server.url)
    offer = page.get_by_role("region", name="Save your details for next time")
    assert "repeat.buyer@example.com" in offer.inner_text()
    page.get_by_label("Password", exact=True).fill("correct-horse-battery-9")
    page.get_by_label("Password confirmation").fill("correct-horse-battery-9")
    page.get_by_role("button", name="Create my account").click()
    page.get_by_role("heading", name="Check your inbox").wait_for()
    send_queued_emails()
    (message,) = [m for m in mail.outbox if "confirm-email" in m.body]
    assert message.to == ["repeat.buyer@example.com"]
    page.goto(live_server.url + re.search(r"https?://[^/]+(/accounts/confirm-email/\S+/)", message.body).group(1))
    page.get_by_role("button", name="Confirm my email").click()

    page.wait_for_url("**/account/")
    order = Order.objects.get()
    assert page.get_by_role("link", name=order.id).is_visible()
    assert get_user_model().objects.get().email == "repeat.buyer@example.com"
    shot(page, "conversion-account")


def test_conversion_shows_password_errors_inline(page, live_server, shop, local_stripe):
    place_guest_order(page, live_server.url)
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("Password confirmation").fill("different")
    page.get_by_role("button", name="Create my account").click()
    error = page.locator("#id_password2-error")
    assert "didn’t match" in error.inner_text() or "didn't match" in error.inner_text()
    assert "id_password2-error" in page.get_by_label("Password confirmation").get_attribute("aria-describedby")
    assert get_user_model().objects.count() == 0


def test_no_offer_when_the_email_already_has_an_account(page, live_server, shop, local_stripe):
    get_user_model().objects.create_user("repeat.buyer@example.com", "repeat.buyer@example.com", "x-long-pass-1")
    place_guest_order(page, live_server.url)
    assert page.get_by_role("region", name="Save your details for next time").count() == 0
