"""How the checkout and account pages collect cards: Stripe.js in production, the local stand-in in development
and tests.

`STRIPE_JS_MODE` decides: `stripe` loads Stripe.js from https://js.stripe.com/v3/ (Payment Element for cards,
Express Checkout Element for Apple Pay and Google Pay); `local` ships `card-token.js`, which maps Stripe's test
card numbers to test PaymentMethod ids, and `local-payments.js`, which simulates the 3-D Secure challenge.
`auto` (the default) picks `stripe` when the server talks to Stripe itself (`STRIPE_API_BASE` is Stripe's)
with a real publishable key: Stripe.js always creates PaymentMethods at Stripe, so a server pointed at the
local Stripe-compatible server could never charge them, and its placeholder key (`pk_test_local`) cannot load
Stripe.js.

A page that loads Stripe.js wraps its view in `stripe_js_csp`: in Stripe.js mode the response's
Content-Security-Policy gains Stripe's origins (the script, its iframes, its API); every other page keeps the
site's base policy (settings.CONTENT_SECURITY_POLICY), so no other page can load, frame or call Stripe.

System checks catch the mistakes that would otherwise reach shoppers: `stripe` with a placeholder key, and
(`check --deploy`) a production configuration that would serve the test-card stand-in.
"""
from collections.abc import Callable
from decimal import Decimal
from functools import wraps
from urllib.parse import urlsplit

from csp.decorators import csp_update
from django.conf import settings
from django.core.checks import Error, Tags, register
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from apps.core.money import to_minor_units

STRIPE_API_HOST = "api.stripe.com"
STRIPE_JS_URL = "https://js.stripe.com/v3/"
MODES = ("auto", "stripe", "local")
LOCAL_PUBLISHABLE_KEY = "pk_test_local"  # the development default (.env.example), for the local server
# What Stripe.js needs beyond the base policy: its script, the iframes of its Elements and 3-D Secure
# challenges, and the API calls it makes from the page.
STRIPE_JS_CSP = {
    "script-src": ["https://js.stripe.com"],
    "frame-src": ["https://js.stripe.com", "https://hooks.stripe.com"],
    "connect-src": ["https://api.stripe.com"],
}


def talks_to_stripe() -> bool:
    """Whether the server's Stripe calls go to Stripe (not to the local Stripe-compatible server)."""
    return urlsplit(settings.STRIPE_API_BASE).hostname == STRIPE_API_HOST


def real_publishable_key() -> bool:
    key = settings.STRIPE_PUBLISHABLE_KEY or ""
    return key.startswith(("pk_live_", "pk_test_")) and key != LOCAL_PUBLISHABLE_KEY


def card_collection_mode() -> str:
    """"stripe" or "local" for the shopper pages now (read per request: tests switch it)."""
    mode = settings.STRIPE_JS_MODE
    if mode in ("stripe", "local"):
        return mode
    return "stripe" if talks_to_stripe() and real_publishable_key() else "local"


def local_authentication_enabled() -> bool:
    """The simulated 3-D Secure challenge may drive the local server only in local mode with the local
    server configured: never when the server talks to Stripe."""
    return card_collection_mode() == "local" and not talks_to_stripe()


def payments_config(*, currency: str, amount: Decimal | None = None) -> dict:
    """What the page's payment provider script needs (checkout: an amount to pay; account: a card to save):
    Stripe.js options in Stripe.js mode, the simulated challenge's URL in local mode."""
    mode = card_collection_mode()
    config: dict = {"cardCollection": mode}
    if mode == "stripe":
        # Stripe.js shows the amount in wallets; the server still charges what it computes.
        config["stripe"] = {"publishableKey": settings.STRIPE_PUBLISHABLE_KEY, "currency": currency.lower(),
                            "mode": "setup" if amount is None else "payment"}
        if amount is not None:
            config["stripe"]["amount"] = to_minor_units(amount)
    elif local_authentication_enabled():
        config["testAuthenticationUrl"] = reverse("checkout:test-authentication")
    return config


def stripe_js_url(config: dict) -> str:
    """The Stripe.js URL for a page built with `payments_config`, or "" (the local stand-in)."""
    return STRIPE_JS_URL if config["cardCollection"] == "stripe" else ""


def stripe_js_csp(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The view's page may load Stripe.js: allow Stripe's origins in its CSP when the mode (read per request)
    is Stripe.js."""
    with_stripe = csp_update(STRIPE_JS_CSP)(view)

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return (with_stripe if card_collection_mode() == "stripe" else view)(request, *args, **kwargs)

    return wrapped


@register(Tags.security)
def check_card_collection(app_configs, **kwargs) -> list[Error]:
    if settings.STRIPE_JS_MODE not in MODES:
        return [Error(f"STRIPE_JS_MODE is {settings.STRIPE_JS_MODE!r}.", id="checkout.E001",
                      hint="Set it to auto (the default), stripe or local.")]
    if card_collection_mode() == "stripe" and not real_publishable_key():
        return [Error("STRIPE_JS_MODE=stripe needs a real Stripe publishable key: the checkout page would "
                      "fail to load Stripe.js and no shopper could pay.", id="checkout.E002",
                      hint="Set STRIPE_PUBLISHABLE_KEY to the pk_live_… (or pk_test_…) key from the Stripe "
                           "dashboard, from the same account and mode as STRIPE_SECRET_KEY.")]
    return []


@register(Tags.security, deploy=True)
def check_card_collection_deploy(app_configs, **kwargs) -> list[Error]:
    if card_collection_mode() == "local":
        return [Error("The checkout page would collect cards with the local test stand-in (card-token.js), "
                      "which only knows Stripe's test cards.", id="checkout.E003",
                      hint="Set STRIPE_PUBLISHABLE_KEY and STRIPE_SECRET_KEY to your Stripe keys, leave "
                           "STRIPE_API_BASE at https://api.stripe.com and STRIPE_JS_MODE at auto (or stripe).")]
    if settings.STRIPE_PUBLISHABLE_KEY.startswith("pk_live_") != settings.STRIPE_SECRET_KEY.startswith(
            ("sk_live_", "rk_live_")):
        return [Error("STRIPE_PUBLISHABLE_KEY and STRIPE_SECRET_KEY are from different modes (live and test): "
                      "PaymentMethods created by the page could not be charged by the server.", id="checkout.E004",
                      hint="Use both live keys or both test keys of the same Stripe account.")]
    return []
