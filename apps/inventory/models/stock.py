"""Stock levels, the stock ledger and daily sales (the source of sales velocity)."""
from django.db import models
from django.db.models import F, Q

# A product is "near its threshold" (early warning or below) when on_hand <= 1.2 x threshold. Integer
# arithmetic: on_hand <= floor(6t/5) is the same test as on_hand <= 1.2t for integer stock. The stock
# check filters with exactly this Q, so PostgreSQL answers it from the partial index of the same
# predicate: the check reads only near-threshold rows, whatever the size of the catalog.
NEAR_THRESHOLD = Q(on_hand__lte=F("threshold_units") * 6 / 5)
# The most `on_hand` (a PostgreSQL integer) can hold; a movement past it is refused, never overflowed.
ON_HAND_MAX = 2**31 - 1


class StockLevel(models.Model):
    """On-hand units of one product, plus what the stock check needs to judge it without joins.

    `on_hand` is changed only by `F()` updates in services (never read-modify-write), so concurrent
    movements cannot lose an update; the check constraint makes overselling impossible.
    `threshold_units` is the product's effective threshold (product override > category rule >
    category default), kept current by the threshold and velocity services; NULL means "not resolved
    yet" and the next stock check resolves it. `merchant_id` and `category_slug` are copied from the
    catalog when the row is created.
    """

    product_id = models.CharField(max_length=64, primary_key=True)
    on_hand = models.IntegerField(default=0)
    merchant_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    category_slug = models.CharField(max_length=50, blank=True, default="", db_index=True)
    avg_daily_sales = models.DecimalField(max_digits=12, decimal_places=4, default=0,
                                          help_text="units sold in the last 30 days / 30")
    velocity_updated_at = models.DateTimeField(null=True, blank=True)
    threshold_units = models.IntegerField(null=True, blank=True)
    last_alerted_at = models.DateTimeField(null=True, blank=True,
                                           help_text="last low-stock notification (one per product per 24 h)")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(on_hand__gte=0), name="stock_never_negative")]
        indexes = [
            models.Index(fields=["product_id"], name="stock_near_threshold_idx", condition=NEAR_THRESHOLD),
            models.Index(fields=["product_id"], name="stock_threshold_unresolved_idx",
                         condition=Q(threshold_units__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.on_hand}"


class StockMovement(models.Model):
    """The ledger: every change of on-hand stock with its reason and the balance after it."""

    class Reason(models.TextChoices):
        SET = "set", "stock count"
        ADJUSTMENT = "adjustment", "manual adjustment"
        SALE = "sale", "sale reservation"
        RELEASE = "release", "reservation released"
        RETURN = "return", "customer return"
        RESTOCK = "restock", "supplier restock"
        DAMAGE = "damage", "damaged or lost"

    product_id = models.CharField(max_length=64, db_index=True)
    delta = models.IntegerField()
    balance_after = models.IntegerField()
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.CharField(max_length=200, blank=True)
    reference = models.CharField(max_length=64, blank=True, help_text="order or return id")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.product_id} {self.delta:+d} ({self.reason})"


class DailySales(models.Model):
    """Units sold per product per UTC day; the inventory app computes velocity from 30 days of it."""

    product_id = models.CharField(max_length=64)
    day = models.DateField()
    units = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["product_id", "day"], name="uniq_daily_sales")]
        indexes = [models.Index(fields=["day", "product_id"])]

    def __str__(self) -> str:
        return f"{self.product_id} {self.day}: {self.units}"
