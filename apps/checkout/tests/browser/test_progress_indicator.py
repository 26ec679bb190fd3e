"""Progress indicator (EXP-2025-163): variant B dots behind `checkout_progress_dots` — current larger in
the brand colour, completed with a checkmark, future grey; the text breadcrumb when the flag is off."""
import pytest

from ..shopper import flags
from .conftest import add_to_cart, fill_shipping

pytestmark = pytest.mark.browser
BRAND = "rgb(31, 79, 209)"


def dot(page, step):
    return page.locator(f"[data-step-name={step}] .dot")


def test_variant_b_dots_move_with_the_sections(page, live_server, shop, shot):
    flags(checkout_progress_dots=True)
    add_to_cart(page, live_server.url, "prod_monitor_32in")
    page.goto(f"{live_server.url}/checkout/")
    progress = page.get_by_role("list", name="Checkout progress")
    assert "progress-dots" in progress.get_attribute("class")
    assert progress.locator("li").count() == 4
    current = dot(page, "shipping")
    assert current.evaluate("e => getComputedStyle(e).backgroundColor") == BRAND
    assert current.bounding_box()["width"] > dot(page, "payment").bounding_box()["width"]
    assert dot(page, "cart").evaluate("e => getComputedStyle(e, '::after').content") == '"✓"'
    assert dot(page, "review").evaluate("e => getComputedStyle(e).backgroundColor") != BRAND
    assert page.locator("[aria-current=step]").inner_text().startswith("Shipping")
    shot(page, "progress-dots-shipping")

    fill_shipping(page)
    page.locator("[data-step-name=payment][aria-current=step]").wait_for()
    assert dot(page, "shipping").evaluate("e => getComputedStyle(e, '::after').content") == '"✓"'
    assert "(completed)" in page.locator("[data-step-name=shipping]").inner_text()


def test_flag_off_falls_back_to_the_text_breadcrumb(page, live_server, shop, shot):
    flags(checkout_progress_dots=False)
    add_to_cart(page, live_server.url, "prod_monitor_32in")
    page.goto(f"{live_server.url}/checkout/")
    progress = page.get_by_role("list", name="Checkout progress")
    assert "progress-crumbs" in progress.get_attribute("class")
    assert not dot(page, "shipping").is_visible()
    current = page.locator("[data-step-name=shipping]")
    assert current.evaluate("e => getComputedStyle(e).fontWeight") == "700"
    shot(page, "progress-breadcrumb")
