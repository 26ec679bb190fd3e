"""Calling Stripe Tax: the project's Stripe client (apps.payments.public) with the tax timeout, one immediate
retry of a transient failure, and Stripe's errors turned into the tax app's."""
import logging
import time
from collections.abc import Callable
from typing import TypeVar

import stripe
from django.conf import settings

from apps.payments.public import stripe_api_client, stripe_error_is_transient

from ...errors import TaxAddressInvalid, TaxServiceUnavailable

logger = logging.getLogger(__name__)
T = TypeVar("T")

ATTEMPTS = 2  # a quote is on the shopper's critical path: one quick retry, then a clear 503
RETRY_PAUSE_SECONDS = 0.2
# Stripe's code for an address Stripe Tax cannot place in a jurisdiction.
LOCATION_INVALID_CODES = {"customer_tax_location_invalid", "taxes_calculation_failed"}


class StripeRefused(Exception):
    """Stripe answered, and refused the request for a reason a retry cannot fix."""


def stripe_tax_call(operation: Callable[[stripe.StripeClient], T], *, name: str) -> T:
    """Run `operation(client)`; raise `TaxServiceUnavailable` when Stripe stays unreachable, `TaxAddressInvalid`
    for an address Stripe cannot locate, `StripeRefused` for any other refusal."""
    client = stripe_api_client(timeout_ms=settings.TAX_PROVIDER_TIMEOUT_MS)
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return operation(client)
        except stripe.StripeError as exc:
            if stripe_error_is_transient(exc):
                logger.warning("Stripe Tax call failed", extra={"operation": name, "attempt": attempt,
                                                                "error_type": type(exc).__name__})
                if attempt < ATTEMPTS:
                    time.sleep(RETRY_PAUSE_SECONDS)
                    continue
                raise TaxServiceUnavailable(settings.TAX_SERVICE_RETRY_AFTER_SECONDS) from exc
            if getattr(exc, "code", None) in LOCATION_INVALID_CODES:
                raise TaxAddressInvalid() from exc
            raise StripeRefused(f"{type(exc).__name__}: {exc.user_message or exc}") from exc
    raise AssertionError("unreachable")  # the loop returns or raises
