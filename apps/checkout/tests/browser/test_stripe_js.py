"""Production card collection (issue 13) without network: the checkout page in Stripe.js mode loads
https://js.stripe.com/v3/, which the test serves from fixtures/stripe-js-stub.js, a small stand-in for the
Stripe.js calls the page makes. Checked: the Payment Element is mounted, a PaymentMethod is created and sent as
before, a 202 is handled by handleNextAction (the stub answers the local Stripe server's authentication
control, as Stripe's own challenge would), and success and failure reach the shopper. The server side is the
real one, talking to the local Stripe server."""
from pathlib import Path

import pytest
from django.apps import apps

from apps.checkout.models import Order

from ..shopper import flags
from .conftest import add_to_cart, fill_shipping

pytestmark = pytest.mark.browser
STRIPE_JS_STUB = Path(__file__).resolve().parent / "fixtures" / "stripe-js-stub.js"
PUBLISHABLE_KEY = "pk_test_51VantageStripeJsStubKey0000"


@pytest.fixture
def stripe_js(page, live_server, local_stripe, settings):
    """The page in Stripe.js mode; js.stripe.com answered by the stub, every other non-local request refused.
    `stripe_js.outcome` is how the stub's 3-D Secure challenge answers ("complete" or "fail")."""
    settings.STRIPE_JS_MODE = "stripe"
    settings.STRIPE_PUBLISHABLE_KEY = PUBLISHABLE_KEY
    external = []

    def outside(route):
        external.append(route.request.url)
        route.abort()

    page.route("https://**/*", outside)
    page.route("https://js.stripe.com/v3/", lambda route: route.fulfill(
        path=str(STRIPE_JS_STUB), content_type="application/javascript"))

    class Control:
        outcome = "complete"
        requests = external
        challenged: list[str] = []  # client secrets the stub's handleNextAction was given

    def challenge(client_secret: str) -> str:
        Control.challenged.append(client_secret)
        local_stripe.authenticate(client_secret.partition("_secret_")[0], Control.outcome)
        return Control.outcome

    page.expose_function("stripeStubChallenge", challenge)
    return Control


def stub_calls(page, name: str) -> list:
    return [call["detail"] for call in page.evaluate("window.stripeStub.calls") if call["name"] == name]


def to_payment(page, base_url: str) -> None:
    add_to_cart(page, base_url, "prod_monitor_32in")
    page.get_by_role("link", name="Check out").click()
    page.wait_for_url("**/checkout/")
    fill_shipping(page)
    page.locator("[data-stub-element=payment]").wait_for(state="visible")


def pay_with(page, number: str) -> None:
    page.get_by_label("Card information").fill(number)
    page.get_by_role("button", name="Continue to review").click()
    page.locator("[data-place-order]").wait_for(state="visible")
    page.locator("[data-place-order]").click()


def test_stripe_js_page_mounts_the_payment_element_and_never_ships_the_stand_in(page, live_server, shop, stripe_js,
                                                                                 shot):
    # when the checkout page opens in Stripe.js mode, wallets off
    flags(apple_pay=False)
    page.set_viewport_size({"width": 1280, "height": 900})
    to_payment(page, live_server.url)

    # then Stripe.js is set up with the publishable key, the cart's amount and manual PaymentMethod creation
    assert stub_calls(page, "Stripe") == [PUBLISHABLE_KEY]
    assert stub_calls(page, "elements") == [{"mode": "payment", "amount": 44900, "currency": "usd",
                                             "paymentMethodCreation": "manual",
                                             "appearance": {"theme": "stripe", "variables": {"borderRadius": "6px"}}}]
    assert stub_calls(page, "mount:payment") == ["#payment-element"]
    assert stub_calls(page, "create:expressCheckout") == []  # apple_pay flag off: no wallets
    # and once the address is known, the amount is the quote's total (free shipping from $50, no tax rates here)
    assert stub_calls(page, "update")[-1] == {"amount": 44900}
    # and the local stand-in is not on the page
    assert page.evaluate("typeof window.VantageCard") == "undefined"
    assert page.locator("script[src*='card-token'], script[src*='local-payments']").count() == 0
    assert page.locator("#authentication-challenge").count() == 0
    assert stripe_js.requests == []
    shot(page, "checkout-stripe-js-1280")
    page.set_viewport_size({"width": 375, "height": 812})
    shot(page, "checkout-stripe-js-375")


def test_incomplete_card_shows_stripe_js_message(page, live_server, shop, stripe_js):
    to_payment(page, live_server.url)
    page.get_by_role("button", name="Continue to review").click()
    page.locator("#f-card-error").get_by_text("Your card number is incomplete.").wait_for()
    assert stub_calls(page, "createPaymentMethod") == []
    assert not Order.objects.exists()


def test_card_needing_authentication_is_paid_after_handle_next_action(page, live_server, shop, stripe_js,
                                                                      local_stripe):
    # given a card that needs 3-D Secure, entered in the Payment Element
    to_payment(page, live_server.url)

    # when the order is placed and the bank's challenge completes
    pay_with(page, "4000 0027 6000 3184")
    page.wait_for_url("**/checkout/confirmation/**")

    # then the 202 went through handleNextAction with the intent's client secret, and the order is paid
    [intent] = local_stripe.intents()
    assert [secret.partition("_secret_")[0] for secret in stripe_js.challenged] == [intent["id"]]
    assert intent["status"] == "succeeded"
    order = Order.objects.get()
    assert order.status == Order.Status.PAID
    assert page.locator("[data-payment-method]").inner_text() == "Visa •••• 3184"


def test_failed_authentication_is_explained_and_charges_nothing(page, live_server, shop, stripe_js, local_stripe):
    # given the bank's check fails
    stripe_js.outcome = "fail"
    to_payment(page, live_server.url)

    # when the order is placed
    pay_with(page, "4000 0027 6000 3184")

    # then the failure is explained on the page and nothing is charged
    message = page.locator("#f-payment-error")
    message.get_by_text("not been charged").wait_for()
    intent = local_stripe.intents()[0]
    [secret] = stub_calls(page, "handleNextAction")
    assert secret.startswith(intent["id"] + "_secret_")
    [created] = stub_calls(page, "createPaymentMethod")
    assert created["hasElements"] and created["params"]["billing_details"]["email"] == "user4827@example.com"
    assert intent["status"] != "succeeded" and not local_stripe.store.charges
    assert Order.objects.get().status != Order.Status.PAID


def test_declined_card_is_shown_to_the_shopper(page, live_server, shop, stripe_js, local_stripe):
    to_payment(page, live_server.url)
    pay_with(page, "4000 0000 0000 0002")
    page.locator("#f-payment-error").get_by_text("declined").wait_for()
    assert stub_calls(page, "handleNextAction") == []
    assert Order.objects.get().status != Order.Status.PAID


def test_apple_pay_goes_through_the_express_checkout_element(page, live_server, shop, stripe_js, local_stripe):
    # given the apple_pay flag is on
    flags(apple_pay=True)
    to_payment(page, live_server.url)

    # then the Express Checkout Element is mounted and reports Apple Pay available
    assert stub_calls(page, "mount:expressCheckout") == ["#express-checkout-element"]
    page.locator("#wallets-box").wait_for(state="visible")

    # when the shopper pays with it
    page.locator("[data-stub-element=expressCheckout]").click()
    page.wait_for_url("**/checkout/confirmation/**")

    # then the order is paid by Apple Pay, and the browser's Apple Pay events were recorded
    order = Order.objects.get()
    assert order.status == Order.Status.PAID and order.payment_method_type == "apple_pay"
    assert page.locator("[data-payment-method]").inner_text() == "Apple Pay"
    events = apps.get_model("experiments", "AnalyticsEvent").objects.filter(event__startswith="apple_pay")
    assert set(events.values_list("event", flat=True)) == {"apple_pay_button_shown", "apple_pay_authorized"}


def test_stripe_js_checkout_runs_under_its_content_security_policy(page, live_server, shop, stripe_js, local_stripe,
                                                                   csp_violations):
    # given the checkout page in Stripe.js mode, whose policy names Stripe's origins
    response = page.goto(f"{live_server.url}/")
    assert "js.stripe.com" not in response.headers["content-security-policy"]
    to_payment(page, live_server.url)

    # when a card is paid through the Payment Element
    pay_with(page, "4242 4242 4242 4242")
    page.wait_for_url("**/checkout/confirmation/**")

    # then Stripe.js loaded and ran under the policy, and nothing was refused
    (checkout,) = [doc for doc in csp_violations.documents if doc.url.endswith("/checkout/")]
    assert "https://js.stripe.com" in checkout.headers["content-security-policy"]
    assert Order.objects.get().status == Order.Status.PAID
    assert csp_violations.documents_without_policy() == []
    assert csp_violations.all() == []
