"""Carts, orders and the abandonment ledger of the guest checkout.

Carts change item by item (an upsert per item plus a version bump), never by rewriting the whole
cart, so two tabs adding different items both land. Orders keep everything later issues need:
the status lifecycle through delivery, the shipping address, per-line quantity and unit price,
and the payment method the shopper used.
"""
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from apps.core.ids import new_public_id


def new_cart_id() -> str:
    return new_public_id("cart")


def new_order_id() -> str:
    return new_public_id("ord")


def new_confirmation_token() -> str:
    return new_public_id("cnf")


def cart_expiry():
    return timezone.now() + timedelta(seconds=settings.CART_TTL_SECONDS)


class Cart(models.Model):
    """A shopper's cart. `version` grows on every change and is the `ETag` clients send back in
    `If-Match`; `status` is `ordered` while an order (pending or paid) holds the cart."""

    class Status(models.TextChoices):
        OPEN = "open", "open"
        ORDERED = "ordered", "ordered"

    id = models.CharField(max_length=64, primary_key=True, default=new_cart_id)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    currency = models.CharField(max_length=3, default="USD")
    version = models.PositiveIntegerField(default=1)
    expires_at = models.DateTimeField(default=cart_expiry, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.id

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class CartItem(models.Model):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="items")
    product_id = models.CharField(max_length=64)
    quantity = models.PositiveIntegerField()
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cart", "product_id"], name="uniq_cart_item_product"),
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="cart_item_quantity_positive"),
        ]
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return f"{self.cart_id} {self.product_id} × {self.quantity}"


class Order(models.Model):
    """A placed order. `pending` holds reserved stock while the payment is in flight (a gateway
    outage leaves it here and the client's retry resumes it); `payment_failed` gave the stock back."""

    class Status(models.TextChoices):
        PENDING = "pending", "payment pending"
        PAID = "paid", "paid"
        PARTIALLY_SHIPPED = "partially_shipped", "partially shipped"
        PAYMENT_FAILED = "payment_failed", "payment failed"
        SHIPPED = "shipped", "shipped"
        DELIVERED = "delivered", "delivered"
        CANCELLED = "cancelled", "cancelled"
        REFUNDED = "refunded", "refunded"

    # Statuses in which the order still holds its cart: at most one such order per cart.
    HOLDS_CART = (Status.PENDING, Status.PAID, Status.PARTIALLY_SHIPPED, Status.SHIPPED, Status.DELIVERED)

    id = models.CharField(max_length=64, primary_key=True, default=new_order_id)
    confirmation_token = models.CharField(max_length=64, unique=True, default=new_confirmation_token)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    checkout_flow = models.CharField(max_length=20, default="guest_v2")
    cart = models.ForeignKey(Cart, on_delete=models.SET_NULL, null=True, blank=True, related_name="orders")
    session_id = models.CharField(max_length=100, blank=True)
    email = models.EmailField()
    is_test = models.BooleanField(default=False, help_text="synthetic orders (smoke tests); excluded from reporting")

    shipping_line1 = models.CharField(max_length=200)
    shipping_line2 = models.CharField(max_length=200, blank=True)
    shipping_city = models.CharField(max_length=100)
    shipping_state = models.CharField(max_length=50)
    shipping_zip = models.CharField(max_length=20)
    shipping_country = models.CharField(max_length=2)

    currency = models.CharField(max_length=3, default="USD")
    subtotal = models.DecimalField(max_digits=12, decimal_places=2)
    shipping_total = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    tax_total = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    # total = subtotal + shipping_total + tax_total: the amount charged (`total_charged` on the wire)
    total = models.DecimalField(max_digits=12, decimal_places=2)
    prices_include_tax = models.BooleanField(
        default=False, help_text="VAT destinations: the listed prices contained the tax, so subtotal and shipping "
                                 "are stored net and tax_total is the VAT part")
    tax_provider = models.CharField(max_length=20, blank=True)
    tax_calculation_id = models.CharField(max_length=100, blank=True, help_text="Stripe Tax's taxcalc_… id")
    shipping_method_code = models.CharField(max_length=50, blank=True)
    shipping_method_name = models.CharField(max_length=100, blank=True)
    delivery_earliest = models.DateField(null=True, blank=True)
    delivery_latest = models.DateField(null=True, blank=True)
    estimated_delivery = models.DateTimeField(help_text="midnight UTC of the delivery window's latest day")

    payment_method_id = models.CharField(max_length=100, blank=True)
    # sha256 of the Idempotency-Key that placed the order: a retry with that key may resume or replay it
    placed_with_key_digest = models.CharField(max_length=64, blank=True)
    payment_method_type = models.CharField(max_length=30, blank=True)
    payment_method_label = models.CharField(max_length=100, blank=True)
    payment_intent_id = models.CharField(max_length=100, blank=True)
    charge_id = models.CharField(max_length=100, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cart"], condition=models.Q(status__in=[
                "pending", "paid", "partially_shipped", "shipped", "delivered"]), name="one_live_order_per_cart"),
        ]
        indexes = [models.Index(fields=["email", "created_at"])]

    def __str__(self) -> str:
        return self.id

    @property
    def shipping_address(self) -> dict:
        return {"line1": self.shipping_line1, "line2": self.shipping_line2, "city": self.shipping_city,
                "state": self.shipping_state, "zip": self.shipping_zip, "country": self.shipping_country}


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product_id = models.CharField(max_length=64)
    sku = models.CharField(max_length=64)
    name = models.CharField(max_length=200)
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(max_digits=12, decimal_places=2)
    line_total = models.DecimalField(max_digits=12, decimal_places=2)
    # the line's tax: on top of line_total, or the part of it that is VAT when the order's prices include tax
    tax_amount = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    tax_rate = models.DecimalField(max_digits=7, decimal_places=4, default=0)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.order_id} {self.product_id} × {self.quantity}"

    @property
    def charged_total(self) -> Decimal:
        """What the shopper paid for this line, its tax included."""
        return self.line_total if self.order.prices_include_tax else self.line_total + self.tax_amount


def new_fulfillment_id() -> str:
    return new_public_id("ful")


class Fulfillment(models.Model):
    """One parcel a merchant sent: which lines and how many units, with carrier and tracking
    number. `created_at` is the shipping time; `delivered_at` is set once, by the merchant (carriers
    without tracking) or by the carrier's tracking webhook."""

    id = models.CharField(max_length=64, primary_key=True, default=new_fulfillment_id)
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="fulfillments")
    merchant_id = models.BigIntegerField(null=True, blank=True, db_index=True,
                                         help_text="the catalog merchant who shipped it; empty when ops did")
    carrier = models.CharField(max_length=50)
    tracking_number = models.CharField(max_length=100, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.id


class FulfillmentLine(models.Model):
    fulfillment = models.ForeignKey(Fulfillment, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="fulfillment_lines")
    quantity = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="fulfillment_line_quantity_positive"),
            models.UniqueConstraint(fields=["fulfillment", "order_line"], name="uniq_fulfillment_order_line"),
        ]

    def __str__(self) -> str:
        return f"{self.fulfillment_id} line {self.order_line_id} × {self.quantity}"


class EmailDelivery(models.Model):
    """One transactional email to a shopper: queued in the transaction that caused it, sent after
    commit by a Celery task (retried on failure); every attempt is counted here."""

    class Status(models.TextChoices):
        QUEUED = "queued", "queued"
        SENT = "sent", "sent"
        FAILED = "failed", "failed"

    to = models.EmailField()
    template = models.CharField(max_length=50, db_index=True)
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="emails", null=True, blank=True)
    context = models.JSONField(default=dict, blank=True, help_text="what this email names beyond the order "
                                                                   "(a parcel id, a refund amount)")
    subject = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    provider_message_id = models.CharField(max_length=200, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "email deliveries"

    def __str__(self) -> str:
        return f"{self.template} to {self.to}"


class AbandonedSession(models.Model):
    """One row per guest session reported as abandoned: the unique session id is what makes the
    `cart.abandonment` event exactly-once even if two sweeps race or one crashes mid-way."""

    session_id = models.CharField(max_length=100, unique=True)
    cart_id = models.CharField(max_length=64)
    event_id = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.session_id
