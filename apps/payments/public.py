"""The payments app's interface for other apps (functions and dataclasses only).

Charging (checkout):
    result = charge(ChargeRequest(order_id=..., amount=Decimal("67.25"), currency="USD",
                                  payment_method_id="pm_…", confirmation_token="cnf_…", cart_id="cart_…"))
  creates and confirms one Stripe PaymentIntent per order (idempotency key derived from `order_id`, so
  calling again for the same order never makes a second intent or charge), retries transient failures
  (PAYMENT_GATEWAY_MAX_RETRIES at PAYMENT_GATEWAY_BACKOFF_SECONDS), honours the circuit breaker and
  records the `checkout.guest.payment_handoff` span as a child of the caller's current span.
  `result.status` is "succeeded" only when money was taken; otherwise the intent is still in flight
  ("requires_action" for 3-D Secure: give `result.client_secret` to Stripe.js, then call `charge()` again
  for the same order, which retrieves the intent; "processing", "requires_capture": wait for the webhook).
  Raises `PaymentDeclined` (402; `decline_code` AUTHENTICATION_FAILED when 3-D Secure failed),
  `PaymentGatewayUnavailable` (502 + Retry-After) or
  `PaymentRequestInvalid` (422, Stripe refused the request itself, e.g. an unusable payment method id);
  let them propagate from a DRF view and the core error envelope renders them.

Refunds (returns): `refund(order_id=..., amount=Decimal(...))` → `RefundResult` (partial refunds add up;
`charge.refunded` webhooks reconcile refunds made in the Stripe dashboard).

Confirmation page (checkout): `payment_details(order_id=...)` → `ChargeResult` with
`payment_method_label` ("Apple Pay", "Visa •••• 4242"). Ops admin (checkout):
`payments_for_order(order_id=...)` → `[PaymentRecord]`, each with its `refunds`.

Express checkout (registered users): `express_checkout_details(user_id=...)` → the Stripe customer id,
default saved card and default shipping address, or None until the user saved both (saved cards and
addresses are managed under /api/v1/payment-methods and /api/v1/addresses/default). Charge with
`ChargeRequest(..., payment_method_id=details.payment_method_id, stripe_customer_id=details.stripe_customer_id)`.

Apple Pay: `apple_pay_enabled()` is the one read of the flag; `payment_method_types("apple_pay")`.

Other Stripe products (the tax app's Stripe Tax): `stripe_api_client(timeout_ms=...)` is the project's one SDK
client setup (STRIPE_API_BASE, STRIPE_SECRET_KEY, the pinned API version, no SDK retries, pooled
connections); `stripe_error_is_transient(exc)` says whether a failed call may succeed if retried.

Order status from Stripe webhooks (checkout): the payments app never imports checkout. Register a
handler once, from your AppConfig.ready:
    register_payment_event_handler(fn)   # fn(event_type, confirmation_token, intent_id, data) -> None
`fn` is called inside the webhook's database transaction, once per Stripe event id, unless the event
is stale (it would move the payment's status backwards, e.g. a late `payment_intent.created` after
`succeeded`; those are logged and dropped), for `payment_intent.created`,
`payment_intent.succeeded`, `payment_intent.payment_failed`, `payment_intent.canceled`, `charge.refunded` and
`checkout.session.completed`. `data` is Stripe's `data.object` plus `"payment_status"` (the payment's
status afterwards: created | failed | succeeded | partially_refunded | refunded — set your order from
it, idempotently: `charge()`/`refund()` may already have reported the same change), `"order_id"` and
`"payment_method_label"`. Raising from `fn` rolls the event back and Stripe redelivers it.
"""
from decimal import Decimal

from .errors import (
    AUTHENTICATION_FAILED,
    PaymentAuthenticationFailed,
    PaymentDeclined,
    PaymentGatewayUnavailable,
    PaymentNotFound,
    PaymentRequestInvalid,
    RefundNotAllowed,
)
from .integrations.stripe.client import is_transient as stripe_error_is_transient
from .integrations.stripe.client import stripe_client as stripe_api_client
from .interface import (
    PAYMENT_METHOD_TYPES,
    ChargeRequest,
    ChargeResult,
    ExpressCheckoutDetails,
    PaymentRecord,
    RefundRecord,
    RefundResult,
    SavedCard,
    ShippingAddressData,
)
from .registry import PaymentEventHandler
from .registry import register as register_payment_event_handler
from .selectors import (
    apple_pay_enabled,
    default_address,
    express_checkout_details,
    payment_details,
    payment_method_types,
    payment_succeeded_exists,
    payments_for_order,
    refunds_since,
)
from .services.charges import payment_charge, payment_refund
from .services.customers import saved_card_list

__all__ = [
    "PAYMENT_METHOD_TYPES", "AUTHENTICATION_FAILED",
    "ChargeRequest", "ChargeResult", "RefundResult", "SavedCard", "ExpressCheckoutDetails", "ShippingAddressData",
    "PaymentDeclined", "PaymentAuthenticationFailed",
    "PaymentGatewayUnavailable", "PaymentNotFound", "PaymentRequestInvalid", "RefundNotAllowed",
    "PaymentEventHandler", "register_payment_event_handler",
    "apple_pay_enabled", "payment_method_types", "express_checkout_details", "charge", "refund", "payment_details",
    "payment_succeeded_exists", "payment_settle",
    "RefundRecord", "refunds_since", "PaymentRecord", "payments_for_order",
    "saved_cards", "default_address",
    "stripe_api_client", "stripe_error_is_transient",
]


def charge(request: ChargeRequest) -> ChargeResult:
    return payment_charge(request=request)


def payment_settle(*, order_id: str, cancel_in_flight: bool = False) -> ChargeResult | None:
    """Ask Stripe where the order's payment stands and record it (for orders left pending): `result.status`
    is "succeeded", "failed", or the status of an intent still in flight. `cancel_in_flight` first cancels
    an intent still waiting for the shopper (giving the order up). None when the order never got an intent
    (or Stripe does not know it); raises PaymentGatewayUnavailable while Stripe is unreachable."""
    from .services.reconcile import payment_intent_settle

    return payment_intent_settle(order_id=order_id, cancel_in_flight=cancel_in_flight)


def refund(*, order_id: str, amount: Decimal, reason: str = "requested_by_customer") -> RefundResult:
    return payment_refund(order_id=order_id, amount=amount, reason=reason)


def saved_cards(*, user) -> list[SavedCard]:
    """The user's saved cards, default flagged (one Stripe call) — for the account and checkout pages."""
    return saved_card_list(user=user)
