"""The one Stripe SDK client setup: the real `stripe` package pointed at STRIPE_API_BASE.

The SDK's own network retries are off (`max_network_retries=0`): retries, backoff and the circuit
breaker live in `apps.payments.services.gateway` so they are visible on the span and countable.

Every call carries `Stripe-Version: 2023-10-16` (STRIPE_API_VERSION): the shapes this code reads are that
version's, whatever the SDK's own default or the account's dashboard setting is.
"""
import functools

import stripe
from django.conf import settings

from .transport import Urllib3Client

STRIPE_API_VERSION = "2023-10-16"
BRAND_NAMES = {
    "visa": "Visa", "mastercard": "Mastercard", "amex": "American Express", "discover": "Discover",
    "jcb": "JCB", "diners": "Diners Club", "unionpay": "UnionPay",
}


def stripe_client(*, timeout_ms: int | None = None) -> stripe.StripeClient:
    """A client for the current settings, reused across calls so HTTP connections are pooled."""
    return _client(settings.STRIPE_SECRET_KEY, settings.STRIPE_API_BASE.rstrip("/"),
                   timeout_ms or settings.PAYMENT_GATEWAY_TIMEOUT_MS)


@functools.lru_cache(maxsize=8)
def _client(api_key: str, api_base: str, timeout_ms: int) -> stripe.StripeClient:
    # urllib3's pools are thread-safe, so one client serves every thread.
    return stripe.StripeClient(api_key, base_addresses={"api": api_base}, max_network_retries=0,
                               stripe_version=STRIPE_API_VERSION, http_client=Urllib3Client(timeout=timeout_ms / 1000))


def is_transient(exc: BaseException) -> bool:
    """Connection errors, timeouts, 5xx, 429 and a concurrent same-key request may succeed later; card
    errors and invalid requests never will, so they are neither retried nor counted by the breaker."""
    if isinstance(exc, stripe.CardError):
        return False
    if isinstance(exc, (stripe.APIConnectionError, stripe.RateLimitError)):
        return True
    if isinstance(exc, stripe.StripeError):
        status = exc.http_status or 0
        return status >= 500 or status in (409, 429)
    return False


def upstream_status(exc: BaseException) -> str:
    """What the span and `X-Upstream-Status` say about a failed attempt."""
    if isinstance(exc, stripe.APIConnectionError):
        return "timeout" if "timed out" in str(exc).lower() or "timeout" in str(exc).lower() else "connection_error"
    if isinstance(exc, stripe.StripeError) and exc.http_status:
        return str(exc.http_status)
    return "error"


def is_timeout(exc: BaseException) -> bool:
    return upstream_status(exc) == "timeout"


def card_label(payment_method_type: str, card: dict | None) -> str:
    """"Apple Pay" for Apple Pay, else "Visa •••• 4242" — what the confirmation page shows."""
    card = card or {}
    wallet = (card.get("wallet") or {}).get("type")
    if payment_method_type == "apple_pay" or wallet == "apple_pay":
        return "Apple Pay"
    if not card:
        return "Card"
    brand = BRAND_NAMES.get(card.get("brand", ""), str(card.get("brand", "Card")).title())
    return f"{brand} •••• {card.get('last4', '')}".strip()
