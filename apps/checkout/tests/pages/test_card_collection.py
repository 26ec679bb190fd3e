"""How the checkout page collects cards (issue 13): Stripe.js in production, the local stand-in otherwise,
decided by configuration and checked at start-up; the simulated challenge's endpoint exists only with the
local Stripe server."""
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from apps.checkout.card_collection import card_collection_mode

pytestmark = pytest.mark.django_db
REAL_KEY = "pk_live_51VantageRealKey"
STRIPE = "https://api.stripe.com"
LOCAL = "http://127.0.0.1:12111"


@pytest.mark.parametrize(("mode", "api_base", "key", "expected"), [
    ("auto", STRIPE, REAL_KEY, "stripe"),
    ("auto", STRIPE, "pk_test_local", "local"),       # the local server's placeholder cannot load Stripe.js
    ("auto", LOCAL, REAL_KEY, "local"),               # Stripe.js PaymentMethods would not exist on the local server
    ("stripe", LOCAL, REAL_KEY, "stripe"),
    ("local", STRIPE, REAL_KEY, "local"),
])
def test_mode_follows_the_configuration(settings, mode, api_base, key, expected):
    settings.STRIPE_JS_MODE, settings.STRIPE_API_BASE, settings.STRIPE_PUBLISHABLE_KEY = mode, api_base, key
    assert card_collection_mode() == expected


def checkout_page(client, make_product):
    client.post("/cart/add", {"product_id": make_product(price="449.00").id})
    return client.get("/checkout/")


def test_stripe_mode_page_loads_stripe_js_and_never_the_stand_in(client, make_product, settings):
    settings.STRIPE_API_BASE, settings.STRIPE_PUBLISHABLE_KEY = STRIPE, REAL_KEY
    response = checkout_page(client, make_product)
    html = response.content.decode()
    assert '<script src="https://js.stripe.com/v3/"' in html and "stripe-payments.js" in html
    assert "card-token.js" not in html and "local-payments.js" not in html and "authentication-challenge" not in html
    config = response.context["checkout_config"]
    assert config["stripe"] == {"publishableKey": REAL_KEY, "mode": "payment", "amount": 44900, "currency": "usd"}
    assert "testAuthenticationUrl" not in config


def test_local_mode_page_ships_the_stand_in_and_the_challenge(client, make_product, local_stripe):
    response = checkout_page(client, make_product)
    html = response.content.decode()
    assert "card-token.js" in html and "local-payments.js" in html and 'id="authentication-challenge"' in html
    assert "js.stripe.com" not in html
    assert response.context["checkout_config"]["testAuthenticationUrl"] == "/checkout/test-authentication"


@pytest.mark.parametrize(("api_base", "key", "stripe_js"), [(STRIPE, REAL_KEY, True), (LOCAL, "pk_test_local", False)])
def test_account_page_saves_cards_with_the_same_card_collection(client, settings, api_base, key, stripe_js):
    settings.STRIPE_API_BASE, settings.STRIPE_PUBLISHABLE_KEY = api_base, key
    user = get_user_model().objects.create_user(username="saver@example.com", email="saver@example.com")
    client.force_login(user)
    response = client.get("/account/")
    html = response.content.decode()
    assert ("js.stripe.com/v3/" in html) is stripe_js and ("card-token.js" in html) is not stripe_js
    config = response.context["payments_config"]
    if stripe_js:
        assert config["stripe"] == {"publishableKey": REAL_KEY, "mode": "setup", "currency": "usd"}
    else:
        assert config["testAuthenticationUrl"] == "/checkout/test-authentication"


@pytest.mark.parametrize(("mode", "key", "deploy", "error_id"), [
    ("sometimes", REAL_KEY, False, "checkout.E001"),
    ("stripe", "pk_test_local", False, "checkout.E002"),
    ("stripe", "sk_live_pasted_in_the_wrong_place", False, "checkout.E002"),
    ("local", REAL_KEY, True, "checkout.E003"),
])
def test_system_checks_stop_a_misconfigured_card_collection(settings, mode, key, deploy, error_id):
    settings.STRIPE_JS_MODE, settings.STRIPE_PUBLISHABLE_KEY, settings.STRIPE_API_BASE = mode, key, STRIPE
    with pytest.raises(SystemCheckError, match=error_id):
        call_command("check", "--tag", "security", *(["--deploy"] if deploy else []))


def test_deploy_check_refuses_live_and_test_keys_mixed(settings):
    settings.STRIPE_JS_MODE, settings.STRIPE_API_BASE = "auto", STRIPE
    settings.STRIPE_PUBLISHABLE_KEY, settings.STRIPE_SECRET_KEY = REAL_KEY, "sk_test_51Vantage"
    with pytest.raises(SystemCheckError, match="checkout.E004"):
        call_command("check", "--tag", "security", "--deploy")


def test_challenge_endpoint_is_absent_when_the_server_talks_to_stripe(client, settings):
    settings.STRIPE_API_BASE = STRIPE
    response = client.post("/checkout/test-authentication", {"client_secret": "pi_1_secret_2", "outcome": "complete"},
                           content_type="application/json")
    assert response.status_code == 404


def test_challenge_endpoint_rejects_what_is_not_a_client_secret(client, local_stripe):
    response = client.post("/checkout/test-authentication", {"client_secret": "pi_123", "outcome": "complete"},
                           content_type="application/json")
    assert response.status_code == 422 and response.json()["error"] == "INVALID_FORMAT"


@pytest.mark.parametrize(("outcome", "intent_status"), [("complete", "succeeded"), ("fail", "requires_payment_method")])
def test_challenge_answer_reaches_the_local_stripe_server(client, make_product, local_stripe, outcome, intent_status):
    # given an order waiting for 3-D Secure, placed the way the page places it
    config = checkout_page(client, make_product).context["checkout_config"]
    placed = client.post(config["checkoutApi"], {
        "cart_id": config["cartId"], "email": "user4827@example.com",
        "payment_method_id": "pm_card_authenticationRequired",
        "shipping_address": {"line1": "742 Evergreen Terrace", "city": "Springfield", "state": "IL", "zip": "62704",
                             "country": "US"}, "session_id": config["sessionId"]},
        content_type="application/json", HTTP_IDEMPOTENCY_KEY="idk_challenge_1",
        HTTP_AUTHORIZATION=f"Bearer {config['sessionToken']}")
    assert placed.status_code == 202, placed.content

    # when the simulated challenge is answered
    response = client.post(config["testAuthenticationUrl"], {
        "client_secret": placed.json()["payment_intent_client_secret"], "outcome": outcome},
        content_type="application/json")

    # then the local Stripe server's intent moved accordingly
    assert response.status_code == 200 and response.json() == {"outcome": outcome}
    assert [intent["status"] for intent in local_stripe.intents()] == [intent_status]
