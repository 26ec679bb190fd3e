"""The payment step's state on the checkout page: a card the bank declines reopens the payment step without
its tick (section and progress indicator), with the bank's message, and the review stays locked until a card
goes through; the payment-method radios sit on their label's line and are named by it."""
import re

import pytest
from playwright.sync_api import expect

from apps.checkout.models import Order

from ..shopper import PASSWORD, customer, flags
from .conftest import add_to_cart, fill_card, fill_shipping

pytestmark = pytest.mark.browser
TICK = '"✓"'


def after_content(locator) -> str:
    return locator.evaluate("element => getComputedStyle(element, '::after').content")


@pytest.mark.parametrize(("card", "message"), [
    ("4000 0000 0000 0002", "Your card was declined."),
    ("4000 0000 0000 9995", "Your card has insufficient funds."),
])
def test_a_declined_card_leaves_the_payment_step_open_and_unticked(page, live_server, shop, local_stripe, shot,
                                                                     card, message):
    # given a shopper at review with a card the bank will decline
    flags(checkout_progress_dots=True)
    add_to_cart(page, live_server.url, "prod_monitor_32in")
    page.goto(f"{live_server.url}/checkout/")
    fill_shipping(page)
    fill_card(page, number=card)
    payment, review = page.locator("#step-payment"), page.locator("#step-review")
    progress_payment = page.locator("[data-progress] [data-step-name=payment]")
    expect(review).to_have_class(re.compile(r"\bis-open\b"))
    expect(payment).to_have_class(re.compile(r"\bis-complete\b"))
    expect(progress_payment).to_have_class(re.compile(r"\bis-done\b"))

    # when the order is placed
    page.locator("[data-place-order]").click()

    # then the payment step is open again, with the bank's message and nothing marking it done
    expect(page.locator("#f-payment-error")).to_have_text(message, timeout=20_000)
    expect(payment).to_have_class(re.compile(r"\bis-open\b"))
    expect(payment).not_to_have_class(re.compile(r"\bis-complete\b"))
    expect(payment.locator("[data-summary-for=payment]")).to_be_hidden()
    expect(progress_payment).not_to_have_class(re.compile(r"\bis-done\b"))
    expect(progress_payment).to_have_attribute("aria-current", "step")
    expect(progress_payment.locator(".step-state")).to_have_text(" (current step)")
    assert after_content(progress_payment.locator(".dot")) != TICK
    assert after_content(page.locator("[data-step-name=shipping] .dot")) == TICK
    ok_colour = page.locator("#step-shipping .step-number").evaluate("e => getComputedStyle(e).backgroundColor")
    assert payment.locator(".step-number").evaluate("e => getComputedStyle(e).backgroundColor") != ok_colour
    expect(review).to_have_class(re.compile(r"\bis-locked\b"))
    expect(page.locator("#error-summary")).to_contain_text(message)
    shot(page, "checkout-declined")

    # and another card goes through on the same page: one paid order
    fill_card(page)
    expect(payment).to_have_class(re.compile(r"\bis-complete\b"))
    page.locator("[data-place-order]").click()
    page.wait_for_url("**/checkout/confirmation/**", timeout=20_000)
    assert Order.objects.filter(status=Order.Status.PAID).count() == 1


@pytest.mark.parametrize("width", [1280, 375])
def test_payment_method_radios_line_up_with_their_labels(page, live_server, shop, local_stripe, shot, width):
    # given a signed-in customer with a saved card, at the payment step
    page.set_viewport_size({"width": width, "height": 900})
    user = customer(card="pm_card_visa")
    page.goto(f"{live_server.url}/accounts/login/?next=/cart/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/cart/")
    add_to_cart(page, live_server.url, "prod_monitor_32in")
    page.goto(f"{live_server.url}/checkout/")
    page.get_by_role("button", name="Continue to payment").click()
    expect(page.locator("#step-payment")).to_have_class(re.compile(r"\bis-open\b"))

    # then each radio is named by its label, is a small box, and is centred on its label's first line
    saved, new_card = page.get_by_role("radio", name=re.compile("Visa •••• 4242")), page.get_by_role(
        "radio", name="New card")
    expect(saved).to_be_checked()
    for radio in (saved, new_card):
        box = radio.bounding_box()
        label_text = radio.locator("xpath=..").evaluate("""label => {
            const text = [...label.childNodes].find(
                node => node.nodeType === Node.TEXT_NODE && node.textContent.trim());
            const range = document.createRange();
            range.selectNodeContents(text);
            const rect = range.getBoundingClientRect();
            return {top: rect.top, height: rect.height};
        }""")
        assert box["height"] < 24, box
        assert abs((box["y"] + box["height"] / 2) - (label_text["top"] + label_text["height"] / 2)) <= 3
    fieldset_left = page.locator("fieldset.methods:not(.shipping-options)").bounding_box()["x"]
    assert abs(saved.bounding_box()["x"] - fieldset_left) <= 1

    # and clicking a label's text picks its radio
    page.get_by_text("New card", exact=True).click()
    expect(new_card).to_be_checked()
    expect(page.get_by_label("Card number")).to_be_visible()
    shot(page, f"checkout-payment-methods-{width}")
