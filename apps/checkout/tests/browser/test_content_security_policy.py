"""The Content-Security-Policy (issue 14) breaks no page: every page a shopper, merchant and staff user reaches
runs in Chromium under the real header with no CSP violation (the Stripe.js checkout page is checked in
test_stripe_js.py)."""
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore

from apps.checkout.models import Order
from apps.experiments.public import track

from .conftest import add_to_cart, fill_card, fill_shipping

pytestmark = pytest.mark.browser


def sign_in(page, base_url: str, user) -> None:
    """A session cookie for `user` (the sign-in forms themselves are visited, not the point here)."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": base_url}])


def test_shopper_pages_run_without_csp_violations(page, live_server, shop, local_stripe, csp_violations, settings):
    settings.SELF_SERVICE_RETURNS_ENABLED = True
    base = live_server.url
    # browsing
    for path in ("/", "/products/", "/products/prod_monitor_32in/"):
        page.goto(f"{base}{path}")
    # a real order through the checkout page and the local Stripe server
    add_to_cart(page, base, "prod_monitor_32in")
    page.get_by_role("link", name="Check out").click()
    page.wait_for_url("**/checkout/")
    fill_shipping(page)
    fill_card(page)
    page.locator("[data-place-order]").click()
    page.wait_for_url("**/checkout/confirmation/**")
    order = Order.objects.get()
    # the returns pages, looked up as a guest
    page.goto(f"{base}/returns/")
    page.goto(f"{base}/returns/start?order_id={order.id}")
    page.get_by_label("Email used at checkout").fill(order.email)
    page.get_by_label("Confirmation code").fill(order.confirmation_token)
    page.get_by_role("button", name="Find my order").click()
    page.wait_for_url(f"**/returns/orders/{order.id}")
    # the sign-in pages of the shop, the merchant portal and the admin
    for path in ("/accounts/login/", "/accounts/signup/", "/merchant/login/", "/admin/login/"):
        page.goto(f"{base}{path}")
    # the API's documentation page, whose inline script runs with the request's nonce
    page.goto(f"{base}/api/docs/")
    page.locator(".swagger-ui .info").wait_for()

    assert csp_violations.documents_without_policy() == []
    assert csp_violations.all() == []


def test_account_and_staff_pages_run_without_csp_violations(page, live_server, local_stripe, csp_violations,
                                                           transactional_db):
    # given a staff user, and checkout events for the ops charts to draw
    day = datetime.now(UTC) - timedelta(days=2)
    for n, method in enumerate(["card", "apple_pay", "card"]):
        unit = {"session_id": f"csp-{n}"}
        track("checkout_started", {}, unit, occurred_at=day + timedelta(hours=n))
        track("order_confirmed", {"payment_method": method, "amount": "20.00"}, unit,
              occurred_at=day + timedelta(hours=n, minutes=3))
    staff = get_user_model().objects.create_superuser(username="ops", email="ops@example.com", password="x-pass-123")
    sign_in(page, live_server.url, staff)

    # when the account page, the ops pages and the admin open
    for path in ("/account/", "/ops/", "/ops/inventory/", "/ops/payment-methods/", "/ops/guest-checkout/",
                 "/ops/experiments/", "/admin/", "/admin/checkout/order/"):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path

    # then each had the policy and none broke it (the charts draw through CSSOM, which the policy allows)
    assert csp_violations.documents_without_policy() == []
    assert csp_violations.all() == []
