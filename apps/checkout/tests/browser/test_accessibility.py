"""accessibility (axe-core): no serious or critical WCAG 2.1 A/AA violations on the shopper pages,
including the checkout with its error summary showing; the payment spinner has its screen-reader text."""
import pytest

from .conftest import add_to_cart, checkout_to_review

pytestmark = pytest.mark.browser


def serious(violations):
    return [v for v in violations if v["impact"] in ("serious", "critical")]


def test_axe_finds_no_serious_violations_across_the_shopper_pages(page, live_server, shop, local_stripe, axe_scan):
    for path in ("/", "/products/", "/products/prod_monitor_32in/", "/accounts/login/", "/accounts/signup/",
                 "/cart/"):
        page.goto(live_server.url + path)
        assert serious(axe_scan(page)) == [], path
    add_to_cart(page, live_server.url, "prod_monitor_32in")
    assert serious(axe_scan(page)) == [], "cart with items"
    page.goto(f"{live_server.url}/checkout/")
    assert serious(axe_scan(page)) == [], "checkout"
    page.get_by_role("button", name="Continue to payment").click()
    page.locator("[data-summary]").wait_for()
    assert serious(axe_scan(page)) == [], "checkout with errors"


def test_axe_on_review_and_confirmation_and_spinner_text(page, live_server, shop, local_stripe, axe_scan):
    checkout_to_review(page, live_server.url)
    assert serious(axe_scan(page)) == [], "review"
    status = page.locator("#processing")
    assert status.get_attribute("role") == "status"
    assert status.locator(".sr-only").inner_text() == "Processing your payment, please wait"
    page.locator("[data-place-order]").click()
    page.wait_for_url("**/checkout/confirmation/**")
    assert serious(axe_scan(page)) == [], "confirmation"
