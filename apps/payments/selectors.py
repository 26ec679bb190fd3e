"""Reads: payments by order / intent / confirmation token, which payment method types are on, refunds,
and a registered user's default address and express checkout details."""
from dataclasses import replace
from datetime import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef

from apps.experiments.public import is_enabled

from .interface import (
    PAID_STATUSES,
    ChargeResult,
    ExpressCheckoutDetails,
    PaymentRecord,
    RefundRecord,
    ShippingAddressData,
)
from .models import Payment, Refund, ShippingAddress, StripeCustomer


def apple_pay_enabled(context: dict | None = None) -> bool:
    """The `apple_pay` feature flag for this visitor (the one place it is read); APPLE_PAY_ENABLED=false
    turns Apple Pay off regardless of the flag."""
    return bool(settings.APPLE_PAY_ENABLED) and is_enabled("apple_pay", context or {})


def payment_method_types(requested: str = "card") -> list[str]:
    """Stripe `payment_method_types` for an intent: always card, plus apple_pay when asked for and on."""
    types = ["card"]
    if requested == "apple_pay" and apple_pay_enabled():
        types.append("apple_pay")
    return types


def payment_for_order(*, order_id: str) -> Payment | None:
    return Payment.objects.filter(order_id=order_id).first()


def charge_result(payment: Payment, intent: dict | None = None) -> ChargeResult:
    """What the caller learns; with `intent` (Stripe's JSON, as a dict), Stripe's current status and next action
    instead of ours."""
    result = ChargeResult(
        intent_id=payment.intent_id or "", status=payment.status, amount_received=payment.amount_received,
        charge_id=payment.charge_id, payment_method_type=payment.payment_method_type,
        payment_method_label=payment.payment_method_label, failure_code=payment.failure_code,
    )
    if intent is None or intent["status"] == "succeeded":
        return result
    next_action = intent.get("next_action") or {}
    return replace(result, status=intent["status"], client_secret=intent.get("client_secret") or "",
                   next_action_type=next_action.get("type") or "")


def payment_succeeded_exists(*, order_id: OuterRef) -> Exists:
    """An expression for other apps' queries: the order (`order_id`, an OuterRef to its id) has a payment
    that took money (`ChargeResult.paid`), so a status change can require it in its own statement."""
    return Exists(Payment.objects.filter(order_id=order_id, status__in=PAID_STATUSES))


def payment_details(*, order_id: str) -> ChargeResult | None:
    """What the confirmation page shows about an order's payment ("Apple Pay", "Visa •••• 4242")."""
    payment = payment_for_order(order_id=order_id)
    return charge_result(payment) if payment else None


def payments_for_order(*, order_id: str) -> list[PaymentRecord]:
    """The order's payments with their refunds, oldest first (two queries)."""
    rows = Payment.objects.filter(order_id=order_id).prefetch_related("refunds").order_by("created_at")
    return [PaymentRecord(
        intent_id=row.intent_id or "", status=row.status, amount=row.amount, amount_received=row.amount_received,
        amount_refunded=row.amount_refunded, currency=row.currency, charge_id=row.charge_id,
        payment_method_label=row.payment_method_label, failure_code=row.failure_code, created_at=row.created_at,
        refunds=tuple(RefundRecord(refund_id=refund.refund_id, order_id=order_id, amount=refund.amount,
                                   reason=refund.reason, status=refund.status, created_at=refund.created_at)
                      for refund in sorted(row.refunds.all(), key=lambda refund: refund.created_at)),
    ) for row in rows]


def refunds_since(*, since: datetime) -> list[RefundRecord]:
    """Refunds recorded since `since` (the returns reconciliation matches them to returns)."""
    rows = Refund.objects.select_related("payment").filter(created_at__gte=since).order_by("created_at")
    return [RefundRecord(refund_id=row.refund_id, order_id=row.payment.order_id or "", amount=row.amount,
                         reason=row.reason, status=row.status, created_at=row.created_at) for row in rows]


def payment_for_event(*, intent_id: str, confirmation_token: str = "", order_id: str = "") -> Payment | None:
    """The payment a Stripe event is about: by intent id, else the guest's confirmation token, else order id."""
    if intent_id:
        payment = Payment.objects.filter(intent_id=intent_id).first()
        if payment:
            return payment
    if confirmation_token:
        payment = Payment.objects.filter(confirmation_token=confirmation_token).order_by("-created_at").first()
        if payment:
            return payment
    if order_id:
        return Payment.objects.filter(order_id=order_id).first()
    return None


def default_shipping_address(*, user) -> ShippingAddress | None:
    return ShippingAddress.objects.filter(user=user, is_default=True).first()


def _address_data(address: ShippingAddress) -> ShippingAddressData:
    return ShippingAddressData(line1=address.line1, line2=address.line2, city=address.city, state=address.state,
                               zip=address.zip, country=address.country)


def default_address(*, user_id: int) -> ShippingAddressData | None:
    """The user's default shipping address (what express checkout ships to), if saved."""
    address = ShippingAddress.objects.filter(user_id=user_id, is_default=True).first()
    return _address_data(address) if address else None


def express_checkout_details(*, user_id: int) -> ExpressCheckoutDetails | None:
    """The saved default card and default address of a user, or None unless both exist."""
    customer = StripeCustomer.objects.select_related("user").filter(user_id=user_id).first()
    address = ShippingAddress.objects.filter(user_id=user_id, is_default=True).first()
    if customer is None or not customer.default_payment_method_id or address is None:
        return None
    return ExpressCheckoutDetails(
        user_id=user_id, email=customer.user.email, stripe_customer_id=customer.stripe_customer_id,
        payment_method_id=customer.default_payment_method_id,
        shipping_address=_address_data(address),
    )
