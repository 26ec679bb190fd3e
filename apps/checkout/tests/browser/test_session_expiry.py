"""guest-checkout-session-expiry: a guest session ends after its TTL (15 min; shortened here); the page
says so, keeps the cart, and a restart gives a fresh session that completes."""
import pytest

from apps.core.redis import get_redis

from .conftest import add_to_cart, fill_card, fill_shipping

pytestmark = pytest.mark.browser


def test_expired_session_is_reported_on_the_next_step_and_checkout_restarts(page, live_server, shop, local_stripe,
                                                                           shot):
    add_to_cart(page, live_server.url, "prod_monitor_32in")
    page.goto(f"{live_server.url}/checkout/")
    session_id = page.evaluate("JSON.parse(document.getElementById('checkout-config').textContent).sessionId")
    get_redis().delete(session_id)  # what Redis does when the TTL runs out

    fill_shipping(page)
    notice = page.get_by_role("alert").filter(has_text="Your checkout session expired")
    notice.wait_for()
    assert page.locator("#checkout-form").is_hidden()
    assert page.evaluate("document.activeElement.textContent") == "Start checkout again"
    shot(page, "session-expired")

    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.evaluate("JSON.parse(document.getElementById('checkout-config').textContent).sessionId") != session_id
    fill_shipping(page)
    fill_card(page)
    page.locator("[data-place-order]").click()
    page.wait_for_url("**/checkout/confirmation/**")


def test_the_page_shows_expiry_when_the_ttl_runs_out_without_activity(page, live_server, shop, settings):
    settings.GUEST_SESSION_TTL_SECONDS = 2
    add_to_cart(page, live_server.url, "prod_monitor_32in")
    page.goto(f"{live_server.url}/checkout/")
    page.get_by_role("alert").filter(has_text="Your checkout session expired").wait_for(timeout=6000)
