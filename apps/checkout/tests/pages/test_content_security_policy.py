"""The Content-Security-Policy header (issue 14): every HTML page gets the site's base policy; Stripe's origins
appear only on the pages that load Stripe.js, and only in Stripe.js mode."""
import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db
REAL_KEY = "pk_live_51VantageRealKey"
STRIPE_ORIGINS = ("https://js.stripe.com", "https://api.stripe.com", "https://hooks.stripe.com")
BASE = {
    "default-src": ["'self'"], "script-src": ["'self'"], "style-src": ["'self'"], "img-src": ["'self'", "data:"],
    "font-src": ["'self'"], "connect-src": ["'self'"], "frame-ancestors": ["'none'"], "form-action": ["'self'"],
    "base-uri": ["'self'"], "object-src": ["'none'"],
}


def policy(response) -> dict[str, list[str]]:
    directives = [part.split() for part in response["Content-Security-Policy"].split(";") if part.strip()]
    return {name: sources for name, *sources in directives}


def stripe_js_mode(settings) -> None:
    settings.STRIPE_JS_MODE, settings.STRIPE_API_BASE, settings.STRIPE_PUBLISHABLE_KEY = (
        "auto", "https://api.stripe.com", REAL_KEY)


def checkout_page(client, make_product):
    client.post("/cart/add", {"product_id": make_product(price="449.00").id})
    response = client.get("/checkout/")
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("path", ["/", "/products/", "/cart/", "/accounts/login/", "/merchant/login/",
                                  "/admin/login/", "/returns/start"])
def test_pages_send_the_base_policy_without_stripe(client, settings, path):
    # given Stripe.js mode, so that only the pages that load Stripe.js may name Stripe
    stripe_js_mode(settings)

    # when a page that does not load Stripe.js is fetched
    response = client.get(path)

    # then it carries exactly the base policy
    assert response.status_code == 200
    assert policy(response) == BASE


def test_stripe_js_checkout_page_allows_exactly_stripes_origins(client, make_product, settings):
    stripe_js_mode(settings)
    response = checkout_page(client, make_product)
    assert policy(response) == {
        **BASE,
        "script-src": ["'self'", "https://js.stripe.com"],
        "frame-src": ["https://js.stripe.com", "https://hooks.stripe.com"],
        "connect-src": ["'self'", "https://api.stripe.com"],
    }


def test_stripe_js_account_page_allows_stripe_too(client, settings):
    stripe_js_mode(settings)
    user = get_user_model().objects.create_user(username="csp@example.com", email="csp@example.com")
    client.force_login(user)
    assert "https://js.stripe.com" in policy(client.get("/account/"))["script-src"]


def test_local_mode_checkout_page_names_no_stripe_origin(client, make_product, local_stripe):
    # the local stand-in collects cards: the page talks to nothing but the site
    response = checkout_page(client, make_product)
    header = response["Content-Security-Policy"]
    assert not any(origin in header for origin in STRIPE_ORIGINS)
    assert policy(response) == BASE


def test_api_keeps_its_security_headers(client):
    response = client.get("/api/v2/checkout/guest/session/guest:sess:00000000-0000-0000-0000-000000000000")
    assert response["X-Frame-Options"] == "DENY" and response["Cache-Control"] == "no-store"
    assert "stripe" not in response["Content-Security-Policy"]
