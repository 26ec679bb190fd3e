"""guest-checkout-mobile-viewport: at 360 px wide no shopper page scrolls sideways, and checkout
completes (mobile first layout)."""
import pytest

from .conftest import checkout_to_review

pytestmark = pytest.mark.browser
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 360, "height": 740}, "is_mobile": True,
            "has_touch": True}


def test_no_horizontal_scroll_at_360px_through_a_whole_checkout(page, live_server, shop, local_stripe, shot):
    for path, name in (("/products/", "products"), ("/products/prod_monitor_32in/", "product"),
                       ("/accounts/login/", "signin"), ("/accounts/signup/", "signup")):
        page.goto(live_server.url + path)
        assert page.evaluate(NO_SIDEWAYS_SCROLL), path
        shot(page, f"mobile-{name}")
    checkout_to_review(page, live_server.url)
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    shot(page, "mobile-checkout-review")
    page.locator("[data-place-order]").click()
    page.wait_for_url("**/checkout/confirmation/**")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    shot(page, "mobile-confirmation")


def test_errors_fit_the_small_screen(page, live_server, shop, shot):
    page.goto(f"{live_server.url}/products/prod_monitor_32in/")
    page.get_by_role("button", name="Add to cart").click()
    page.goto(f"{live_server.url}/checkout/")
    page.get_by_role("button", name="Continue to payment").click()
    page.locator("[data-summary]").wait_for()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    shot(page, "mobile-checkout-errors")
