"""guest-checkout-payment-retry: when the gateway stays down through every retry the shopper sees the
seed's message; "Try again" resumes the same order (same Idempotency-Key): one order, one charge."""
import pytest

from apps.checkout.models import Order

from .conftest import checkout_to_review

pytestmark = pytest.mark.browser
MESSAGE = "We're having trouble processing your payment. Please try again in a moment."


@pytest.mark.parametrize("failure", ["502", "timeout"])
def test_gateway_failure_shows_the_message_and_retry_places_one_order(page, live_server, shop, local_stripe, settings,
                                                                      failure, shot):
    settings.PAYMENT_GATEWAY_TIMEOUT_MS = 500
    checkout_to_review(page, live_server.url)
    local_stripe.fail(failure, count=settings.PAYMENT_GATEWAY_MAX_RETRIES + 1, delay_ms=2000)
    page.locator("[data-place-order]").click()

    problem = page.locator("#payment-problem")
    problem.get_by_text(MESSAGE, exact=True).wait_for(timeout=30_000)
    assert page.evaluate("document.activeElement.textContent") == "Try again"
    assert Order.objects.get().status == Order.Status.PENDING
    shot(page, f"payment-retry-{failure}")

    page.get_by_role("button", name="Try again").click()
    page.wait_for_url("**/checkout/confirmation/**", timeout=30_000)
    order = Order.objects.get()
    assert order.status == Order.Status.PAID
    assert len(local_stripe.intents()) == 1
