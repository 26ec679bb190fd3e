"""The checkout page's shipping options and order summary: the methods appear once the address is complete,
choosing another one updates every amount without reloading, and the card is charged the total shown."""
from decimal import Decimal

import pytest

from apps.checkout.models import Order
from apps.core.money import format_money, to_minor_units
from apps.tax.testing import TaxRateFactory

from .conftest import add_to_cart, fill_card

pytestmark = pytest.mark.browser

IL = Decimal("6.25")


@pytest.fixture
def illinois(transactional_db):
    TaxRateFactory(country="US", state="IL", standard_rate=IL, shipping_taxable=False)


def shown(page, selector: str) -> str:
    return page.locator(f".order-summary {selector}").inner_text().strip()


def fill_address(page) -> None:
    page.get_by_label("Email address").fill("shopper@example.com")
    page.get_by_label("Street address").fill("742 Evergreen Terrace")
    page.get_by_label("City").fill("Springfield")
    page.get_by_label("State").fill("IL")
    page.get_by_label("ZIP code").fill("62704")


@pytest.mark.parametrize("width", [1280, 375])
def test_changing_the_method_updates_the_total_and_the_charge_is_that_total(page, live_server, shop, shipping_rates,
                                                                            illinois, local_stripe, shot, width):
    # given: a cable under the free-shipping threshold, at the checkout
    page.set_viewport_size({"width": width, "height": 900})
    add_to_cart(page, live_server.url, "prod_cable_usbc", quantity=2)
    loads = []
    page.on("load", lambda _: loads.append(page.url))
    page.get_by_role("link", name="Check out").click()
    page.wait_for_url("**/checkout/")
    items = shop["cable"].price * 2
    tax = (items * IL / 100).quantize(Decimal("0.01"))
    # when: the address is complete, the methods appear (the cheapest chosen)
    fill_address(page)
    standard = page.get_by_role("radio", name="Standard")
    standard.wait_for()
    assert standard.is_checked()
    methods = page.locator("input[name=shipping_method]")
    assert {methods.nth(i).get_attribute("value") for i in range(methods.count())} == {"standard", "express"}
    standard_total = shown(page, "[data-amount=total]")
    shot(page, f"shipping-options-{width}")
    # and the shopper picks Express
    page.get_by_role("radio", name="Express").check()
    page.wait_for_function("""(before) => document.querySelector('.order-summary [data-amount=total]')
        .textContent.trim() !== before""", arg=standard_total)
    # then: the summary shows the new shipping and total, computed by the server, without a reload
    express_price = Decimal(page.locator("[data-amount=shipping]").first.inner_text().strip("$"))
    assert shown(page, "[data-amount=items]") == format_money(items)
    assert shown(page, "[data-amount=tax]") == format_money(tax)
    assert shown(page, "[data-amount=total]") == format_money(items + express_price + tax)
    assert "Express" in page.locator(".order-summary").inner_text()
    assert len(loads) == 1, loads
    shot(page, f"shipping-express-{width}")
    # when: the shopper continues, pays and places the order
    page.get_by_role("button", name="Continue to payment").click()
    page.get_by_label("Card number").wait_for(state="visible")
    fill_card(page)
    page.locator("[data-place-order]").wait_for(state="visible")
    total_shown = page.locator("#review-body [data-amount=total]").first.inner_text().strip()
    assert total_shown == format_money(items + express_price + tax)
    assert total_shown in page.locator("[data-place-order]").inner_text()
    shot(page, f"shipping-review-{width}")
    page.locator("[data-place-order]").click()
    page.wait_for_url("**/checkout/confirmation/**")
    # then: one order, charged exactly the total the page showed, and the confirmation shows the breakdown
    order = Order.objects.get()
    assert order.shipping_method_code == "express"
    assert format_money(order.total) == total_shown
    [intent] = local_stripe.intents()
    assert intent["amount"] == to_minor_units(order.total)
    assert page.locator("[data-total]").inner_text() == total_shown
    confirmation = page.locator("main").inner_text()
    assert format_money(tax) in confirmation and "Express" in confirmation
    assert page.locator("[data-estimated-delivery]").inner_text() == order.delivery_latest.strftime("%A, %B %-d, %Y")
    shot(page, f"shipping-confirmation-{width}")


def test_vat_destination_says_vat_included(page, live_server, shop, shipping_rates, local_stripe, transactional_db):
    # given: German prices include 19 % VAT
    TaxRateFactory(country="DE", state="", standard_rate=Decimal("19"), shipping_taxable=True, prices_include_tax=True)
    add_to_cart(page, live_server.url, "prod_monitor_32in")
    page.get_by_role("link", name="Check out").click()
    page.wait_for_url("**/checkout/")
    # when
    page.get_by_label("Country").select_option("DE")
    page.get_by_label("ZIP code").fill("10117")
    page.locator("input[name=shipping_method]").first.wait_for()
    # then: the listed prices stay, the VAT they include is shown, the total is what the shopper saw
    page.locator(".order-summary [data-amount-label=tax]").get_by_text("VAT included").wait_for()
    items = shown(page, "[data-amount=items]")
    assert items == format_money(shop["monitor"].price)
    shipping = Decimal(shown(page, "[data-amount=shipping]").strip("$"))
    assert shown(page, "[data-amount=total]") == format_money(shop["monitor"].price + shipping)
