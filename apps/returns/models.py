"""Returns, their items, every state transition, and what reconciliation found.

A return belongs to an order of the checkout app; it refers to the order and its lines by id
(plain strings, never a foreign key into another app's tables), so the migration only adds
tables — the seed's "additive, non-breaking" rule. Status changes happen only in
`services/lifecycle.py`, which checks `ALLOWED_TRANSITIONS` and writes a `ReturnTransition`
row and a `returns.events` message in the same transaction.
"""
from decimal import Decimal

from django.conf import settings
from django.db import models

from apps.core.ids import new_public_id


def new_return_id() -> str:
    return new_public_id("ret")


class ReturnStatus(models.TextChoices):
    REQUESTED = "requested", "requested"
    LABEL_CREATED = "label_created", "label created"
    IN_TRANSIT = "in_transit", "in transit"
    RECEIVED = "received", "received"
    REFUNDED = "refunded", "refunded"
    CANCELLED = "cancelled", "cancelled"
    LABEL_FAILED = "label_failed", "label failed"


ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    ReturnStatus.REQUESTED: frozenset({ReturnStatus.LABEL_CREATED, ReturnStatus.LABEL_FAILED,
                                       ReturnStatus.CANCELLED}),
    ReturnStatus.LABEL_CREATED: frozenset({ReturnStatus.IN_TRANSIT, ReturnStatus.RECEIVED,
                                           ReturnStatus.CANCELLED}),
    ReturnStatus.IN_TRANSIT: frozenset({ReturnStatus.RECEIVED}),
    ReturnStatus.RECEIVED: frozenset({ReturnStatus.REFUNDED}),
    ReturnStatus.REFUNDED: frozenset(),
    ReturnStatus.CANCELLED: frozenset(),
    ReturnStatus.LABEL_FAILED: frozenset({ReturnStatus.LABEL_CREATED, ReturnStatus.CANCELLED}),
}

# Items of returns in these states no longer count against the returnable quantity of a line.
RELEASED_STATUSES = (ReturnStatus.CANCELLED,)


class ReturnReason(models.TextChoices):
    DAMAGED = "damaged", "arrived damaged"
    DEFECTIVE = "defective", "defective or does not work"
    WRONG_ITEM = "wrong_item", "wrong item sent"
    NOT_AS_DESCRIBED = "not_as_described", "not as described"
    SIZE_FIT = "size_fit", "size or fit"
    NO_LONGER_NEEDED = "no_longer_needed", "no longer needed"
    ARRIVED_LATE = "arrived_late", "arrived too late"
    OTHER = "other", "other"


class Return(models.Model):
    """A shopper's return of some lines of one order."""

    id = models.CharField(max_length=32, primary_key=True, default=new_return_id)
    order_id = models.CharField(max_length=64, db_index=True)
    email = models.EmailField(help_text="the order's email at the time of the return")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="returns")
    status = models.CharField(max_length=20, choices=ReturnStatus.choices, default=ReturnStatus.REQUESTED,
                              db_index=True)
    is_test = models.BooleanField(default=False, help_text="return of a test order; excluded from reporting")
    currency = models.CharField(max_length=3, default="USD")
    refund_estimate = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    refunded_amount = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    refund_id = models.CharField(max_length=255, blank=True)

    label_provider = models.CharField(max_length=20, blank=True)
    label_shipment_id = models.CharField(max_length=100, blank=True, db_index=True)
    label_tracking_code = models.CharField(max_length=100, blank=True)
    label_carrier = models.CharField(max_length=50, blank=True)
    label_file = models.CharField(max_length=255, blank=True, help_text="path in the default storage")
    label_attempts = models.PositiveSmallIntegerField(default=0)
    label_error = models.TextField(blank=True)

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    received_at = models.DateTimeField(null=True, blank=True)
    refunded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "returns"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "updated_at"], name="returns_status_updated_idx")]

    def __str__(self) -> str:
        return self.id

    @property
    def has_label(self) -> bool:
        return bool(self.label_file)


class ReturnItem(models.Model):
    """One order line (or part of it) being returned, with its reason and refund share."""

    ret = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="items", db_column="return_id")
    order_line_id = models.CharField(max_length=64, db_index=True)
    product_id = models.CharField(max_length=64)
    merchant_id = models.BigIntegerField(null=True, blank=True, db_index=True,
                                         help_text="the catalog merchant selling the product (merchant portal scope)")
    name = models.CharField(max_length=200)
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(max_digits=12, decimal_places=2)
    refund_amount = models.DecimalField(max_digits=12, decimal_places=2)
    reason = models.CharField(max_length=30, choices=ReturnReason.choices)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        db_table = "return_items"
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="return_item_quantity_positive"),
            models.UniqueConstraint(fields=["ret", "order_line_id"], name="uniq_return_item_line"),
        ]

    def __str__(self) -> str:
        return f"{self.ret_id} line {self.order_line_id} × {self.quantity}"


class ActorType(models.TextChoices):
    CUSTOMER = "customer", "signed-in customer"
    GUEST = "guest", "guest (order id + email + confirmation token)"
    OPS = "ops", "ops user"
    SERVICE = "service", "internal service"
    SYSTEM = "system", "system"
    RECONCILIATION = "reconciliation", "reconciliation job"


class ReturnTransition(models.Model):
    """Who or what moved a return from one state to another, and why."""

    ret = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="transitions", db_column="return_id")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, choices=ReturnStatus.choices)
    actor_type = models.CharField(max_length=20, choices=ActorType.choices)
    actor_id = models.CharField(max_length=150, blank=True)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "return_transitions"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.ret_id}: {self.from_status or '∅'} → {self.to_status}"


class FindingKind(models.TextChoices):
    LABEL_STUCK = "label_stuck", "requested without a label"
    ORPHAN_LABEL = "orphan_label", "label at the provider without a return"
    REFUND_MISSING = "refund_missing", "received without refund after 24 h"
    REFUND_WITHOUT_RETURN = "refund_without_return", "refund without a return"


class FindingStatus(models.TextChoices):
    OPEN = "open", "open — needs ops"
    REPAIRED = "repaired", "repaired automatically"
    RESOLVED = "resolved", "resolved"


class ReconciliationFinding(models.Model):
    """One problem reconciliation found. Unique per (kind, subject): a second run finds the same
    row and changes nothing, which is what makes the job idempotent."""

    kind = models.CharField(max_length=30, choices=FindingKind.choices)
    subject = models.CharField(max_length=255, help_text="return id, provider shipment id or refund id")
    status = models.CharField(max_length=20, choices=FindingStatus.choices, default=FindingStatus.OPEN)
    action = models.CharField(max_length=200, blank=True, help_text="what the job did about it")
    details = models.JSONField(default=dict, blank=True)
    alerted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "return_reconciliation_findings"
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["kind", "subject"], name="uniq_finding_kind_subject")]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject}"
