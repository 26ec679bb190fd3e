"""Apple Pay stub (CHKOUT-1940): the button shows only when `window.ApplePaySession` exists,
`canMakePayments()` is true and the `apple_pay` flag is on; the payment completes through the payments
service and the confirmation says "Apple Pay"."""
import pytest
from django.apps import apps

from apps.checkout.models import Order

from ..shopper import flags
from .conftest import add_to_cart, fill_shipping

pytestmark = pytest.mark.browser

STUB = """
class ApplePaySession {
  constructor(version, request) { sessionStorage.setItem("applePayTotal", request.total.amount); }
  static canMakePayments() { return %(can)s; }
  begin() { setTimeout(() => this.onvalidatemerchant({validationURL: "https://apple-pay-gateway.apple.com"}), 10); }
  completeMerchantValidation() {
    setTimeout(() => this.onpaymentauthorized({payment: {token: {transactionIdentifier: "TXN7F3A9BC2",
      paymentMethod: {network: "Visa", type: "debit", displayName: "Visa 0492"}, paymentData: {}}}}), 10);
  }
  completePayment(status) { sessionStorage.setItem("applePayCompleted", String(status)); }
  abort() {}
}
ApplePaySession.STATUS_SUCCESS = 0;
ApplePaySession.STATUS_FAILURE = 1;
window.ApplePaySession = ApplePaySession;
"""


@pytest.mark.parametrize(("stub", "can_pay", "flag", "shown"), [
    (False, True, True, False), (True, False, True, False), (True, True, False, False), (True, True, True, True)])
def test_apple_pay_button_needs_session_eligibility_and_flag(page, live_server, shop, stub, can_pay, flag, shown):
    flags(apple_pay=flag)
    if stub:
        page.add_init_script(STUB % {"can": "true" if can_pay else "false"})
    add_to_cart(page, live_server.url, "prod_monitor_32in")
    page.goto(f"{live_server.url}/checkout/")
    assert (page.locator("#apple-pay-box").get_attribute("hidden") is None) is shown


def test_apple_pay_completes_and_the_confirmation_says_apple_pay(page, live_server, shop, local_stripe, shot):
    flags(apple_pay=True)
    page.add_init_script(STUB % {"can": "true"})
    add_to_cart(page, live_server.url, "prod_monitor_32in")
    page.goto(f"{live_server.url}/checkout/")
    fill_shipping(page)
    page.get_by_role("button", name="Pay with Apple Pay").click()
    page.wait_for_url("**/checkout/confirmation/**")

    assert page.locator("[data-payment-method]").inner_text() == "Apple Pay"
    order = Order.objects.get()
    assert order.status == Order.Status.PAID and order.payment_method_label == "Apple Pay"
    assert page.evaluate("sessionStorage.getItem('applePayCompleted')") == "0"  # STATUS_SUCCESS to the sheet
    assert page.evaluate("sessionStorage.getItem('applePayTotal')") == "449.00"
    browser_events = apps.get_model("experiments", "AnalyticsEvent").objects.filter(event__startswith="apple_pay")
    assert set(browser_events.values_list("event", flat=True)) == {"apple_pay_button_shown", "apple_pay_authorized"}
    shot(page, "apple-pay-confirmation")


def test_apple_pay_order_and_analytics_carry_the_apple_pay_type(page, live_server, shop, local_stripe):
    flags(apple_pay=True)
    page.add_init_script(STUB % {"can": "true"})
    add_to_cart(page, live_server.url, "prod_monitor_32in")
    page.goto(f"{live_server.url}/checkout/")
    fill_shipping(page)
    page.get_by_role("button", name="Pay with Apple Pay").click()
    page.wait_for_url("**/checkout/confirmation/**")
    assert Order.objects.get().payment_method_type == "apple_pay"
    assert "apple_pay" in local_stripe.intents()[0]["payment_method_types"]
    events = apps.get_model("events", "OutboxEvent").objects.filter(topic="analytics.events")
    paid = [e.payload for e in events if e.payload["event"] == "payment_completed"]
    assert paid[0]["properties"]["payment_method_type"] == "apple_pay"
