"""accessibility-keyboard-navigation: a whole guest checkout with the keyboard only (Tab, typing,
Enter); focus moves to the next section's heading when a section is done."""
import pytest

pytestmark = pytest.mark.browser


def tab_to(page, selector: str, limit: int = 40) -> None:
    """Press Tab until the element matching `selector` has focus (fails if it is not reachable)."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement === document.querySelector(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} is not reachable with Tab")


def test_checkout_completes_with_the_keyboard_only(page, live_server, shop, local_stripe, shot):
    page.goto(f"{live_server.url}/products/prod_monitor_32in/")
    tab_to(page, "form[action='/cart/add'] button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, "a[href='/checkout/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    for selector, text in (("#f-email", "keyboard.user@example.com"), ("#f-line1", "350 Fifth Avenue"),
                           ("#f-city", "New York"), ("#f-state", "NY"), ("#f-zip", "10118")):
        tab_to(page, selector)
        page.keyboard.type(text)
    tab_to(page, "[data-continue=shipping]")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.id === 'payment-title'")

    for selector, text in (("#f-card-number", "4242424242424242"), ("#f-card-exp", "1234"), ("#f-card-cvc", "123")):
        tab_to(page, selector)
        page.keyboard.type(text)
    tab_to(page, "[data-continue=payment]")
    page.keyboard.press(" ")
    page.wait_for_function("() => document.activeElement.id === 'review-title'")
    tab_to(page, "[data-place-order]")
    shot(page, "keyboard-review-focus")
    with page.expect_navigation(url="**/checkout/confirmation/**"):
        page.keyboard.press("Enter")
    assert page.locator("[data-order-id]").inner_text().startswith("ord_")


def test_skip_link_is_the_first_tab_stop(page, live_server, shop):
    page.goto(f"{live_server.url}/products/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
