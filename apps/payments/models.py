"""Payments data: one Payment per order (or per intent made through the internal API), refunds,
Stripe events already processed, and registered customers' Stripe customer and shipping address."""
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q


class PaymentStatus(models.TextChoices):
    CREATED = "created"
    FAILED = "failed"
    SUCCEEDED = "succeeded"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"


# Status only ever moves to a higher rank: a late `payment_intent.created` or `payment_failed`
# webhook must never undo `succeeded` (Stripe does not guarantee delivery order).
STATUS_RANK = {
    PaymentStatus.CREATED: 0,
    PaymentStatus.FAILED: 1,
    PaymentStatus.SUCCEEDED: 2,
    PaymentStatus.PARTIALLY_REFUNDED: 3,
    PaymentStatus.REFUNDED: 4,
}


class Payment(models.Model):
    """A Stripe PaymentIntent as this platform knows it."""

    order_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    intent_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    status = models.CharField(max_length=24, choices=PaymentStatus.choices, default=PaymentStatus.CREATED)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    amount_received = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    amount_refunded = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    currency = models.CharField(max_length=3)
    charge_id = models.CharField(max_length=255, blank=True)
    payment_method_type = models.CharField(max_length=16, default="card")
    payment_method_label = models.CharField(max_length=64, blank=True)
    cart_id = models.CharField(max_length=64, blank=True)
    checkout_type = models.CharField(max_length=16, default="guest")
    confirmation_token = models.CharField(max_length=64, blank=True, db_index=True)
    stripe_customer_id = models.CharField(max_length=255, blank=True)
    # A decline ends an attempt; the next charge for the order needs a fresh Stripe idempotency key.
    declined_attempts = models.PositiveSmallIntegerField(default=0)
    # AUTHENTICATION_FAILED (3-D Secure) or the issuer's decline code, so a repeated request can answer it
    failure_code = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.order_id or self.intent_id} {self.status}"

    def can_move_to(self, status: str) -> bool:
        return STATUS_RANK[PaymentStatus(status)] > STATUS_RANK[PaymentStatus(self.status)]


class Refund(models.Model):
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    refund_id = models.CharField(max_length=255, unique=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    reason = models.CharField(max_length=32)
    status = models.CharField(max_length=24)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.refund_id


class Dispute(models.Model):
    """A chargeback on a payment, as Stripe's `charge.dispute.*` webhooks report it. Money only: a
    dispute never touches the order or its stock (the goods were shipped; returns are separate)."""

    CLOSED_STATUSES = ("won", "lost", "warning_closed")

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="disputes")
    dispute_id = models.CharField(max_length=255, unique=True)
    charge_id = models.CharField(max_length=255, blank=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    reason = models.CharField(max_length=64, blank=True)
    # Stripe's: warning_needs_response, warning_under_review, warning_closed, needs_response, under_review, won, lost
    status = models.CharField(max_length=32)
    evidence_due_by = models.DateTimeField(null=True, blank=True)
    alerted_at = models.DateTimeField(null=True, blank=True, help_text="When PagerDuty accepted the page.")
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.dispute_id} {self.status}"


class ProcessedStripeEvent(models.Model):
    """Each Stripe event id is handled once, however often Stripe redelivers it."""

    event_id = models.CharField(max_length=255, primary_key=True)
    event_type = models.CharField(max_length=64)
    processed_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.event_id


class StripeCustomer(models.Model):
    """The Stripe Customer of a registered user: where saved cards are attached."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stripe_customer")
    stripe_customer_id = models.CharField(max_length=255, unique=True)
    default_payment_method_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.stripe_customer_id


class ShippingAddress(models.Model):
    """A registered user's address; the default one is what express checkout ships to."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shipping_addresses")
    line1 = models.CharField(max_length=200)
    line2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100)
    state = models.CharField(max_length=100)
    zip = models.CharField(max_length=20)
    country = models.CharField(max_length=2)
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=Q(is_default=True), name="one_default_address_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.line1}, {self.city}"
