"""Dataclasses passed between the payments app and its callers (re-exported by `public.py`)."""
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

PAYMENT_METHOD_TYPES = ("card", "apple_pay")  # what a payment_method_id came from: a card form or Apple Pay
PAID_STATUSES = ("succeeded", "partially_refunded", "refunded")  # money was taken, whatever was refunded since


@dataclass(frozen=True)
class ChargeRequest:
    order_id: str              # Stripe idempotency keys derive from it
    amount: Decimal
    currency: str
    payment_method_id: str
    payment_method_type: str = "card"   # "card" | "apple_pay"
    cart_id: str = ""
    checkout_type: str = "guest"
    session_id: str = ""
    confirmation_token: str = ""      # intent metadata; webhooks find guest orders by it
    customer_email: str = ""
    stripe_customer_id: str = ""      # saved-card / express checkout


@dataclass(frozen=True)
class ChargeResult:
    intent_id: str
    # "succeeded" (money taken), or Stripe's status of an intent still in flight: "requires_action"
    # (3-D Secure: hand client_secret to Stripe.js), "processing", "requires_capture"
    status: str
    amount_received: Decimal
    charge_id: str
    payment_method_type: str   # "card" | "apple_pay"
    payment_method_label: str  # "Visa •••• 4242" / "Apple Pay"
    failure_code: str = ""     # why a failed payment failed: AUTHENTICATION_FAILED or the issuer's decline code
    client_secret: str = field(default="", repr=False)  # never logged
    next_action_type: str = ""  # "use_stripe_sdk" while 3-D Secure is pending

    @property
    def paid(self) -> bool:
        """Money was taken (the intent succeeded), whatever was refunded since."""
        return self.status in PAID_STATUSES


@dataclass(frozen=True)
class RefundResult:
    refund_id: str
    order_id: str
    intent_id: str
    amount: Decimal
    status: str                # Stripe's refund status: "succeeded" normally
    payment_status: str        # the payment afterwards: "partially_refunded" | "refunded"


@dataclass(frozen=True)
class SavedCard:
    payment_method_id: str
    brand: str
    last4: str
    exp_month: int
    exp_year: int
    label: str
    is_default: bool


@dataclass(frozen=True)
class CardSetupPending:
    """Saving a card waits for the shopper's bank (3-D Secure): hand `client_secret` to Stripe.js
    `handleNextAction`, then save the same card again."""

    status: str                 # "requires_action" (or "processing")
    setup_intent_id: str
    next_action_type: str       # "use_stripe_sdk"
    client_secret: str = field(default="", repr=False)  # never logged


@dataclass(frozen=True)
class ShippingAddressData:
    line1: str
    line2: str
    city: str
    state: str
    zip: str
    country: str


@dataclass(frozen=True)
class ExpressCheckoutDetails:
    """What a one-click (express) checkout charges and ships to for a registered user."""

    user_id: int
    email: str
    stripe_customer_id: str
    payment_method_id: str
    shipping_address: ShippingAddressData


@dataclass(frozen=True)
class RefundRecord:
    """A refund as payments recorded it (from our API call or Stripe's `charge.refunded`)."""

    refund_id: str
    order_id: str
    amount: Decimal
    reason: str
    status: str
    created_at: datetime


@dataclass(frozen=True)
class PaymentRecord:
    """An order's payment as payments recorded it, with its refunds (the ops admin's order page)."""

    intent_id: str
    status: str                # created | failed | succeeded | partially_refunded | refunded
    amount: Decimal
    amount_received: Decimal
    amount_refunded: Decimal
    currency: str
    charge_id: str
    payment_method_label: str
    failure_code: str
    created_at: datetime
    refunds: tuple[RefundRecord, ...]
