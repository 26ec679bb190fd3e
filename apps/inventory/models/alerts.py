"""Low-stock alerts (one active per product) and the record of each stock-check run."""
from django.db import models
from django.db.models import Q

from apps.core.ids import new_public_id


def new_alert_id() -> str:
    return new_public_id("alt")


class Urgency(models.TextChoices):
    CRITICAL = "critical", "critical (< 3 days)"
    WARNING = "warning", "warning (3-7 days)"
    INFORMATIONAL = "informational", "informational (> 7 days)"


class LowStockAlert(models.Model):
    """A product at or below its threshold, from the check that found it until stock recovers.

    Product facts (SKU, name, supplier...) are copied at each check so lists and the ops panel are
    one-table reads; `current_stock`, the ETA and urgency are refreshed by every check.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", "active"
        RESOLVED = "resolved", "resolved"

    id = models.CharField(max_length=40, primary_key=True, default=new_alert_id, editable=False)
    product_id = models.CharField(max_length=64)
    merchant_id = models.BigIntegerField(null=True, blank=True)
    sku = models.CharField(max_length=64)
    product_name = models.CharField(max_length=200)
    category_slug = models.CharField(max_length=50, blank=True, default="")
    category_name = models.CharField(max_length=100, blank=True, default="")
    supplier_name = models.CharField(max_length=200, blank=True, default="")
    supplier_lead_time_days = models.PositiveSmallIntegerField(null=True, blank=True)
    current_stock = models.IntegerField()
    threshold = models.IntegerField()
    threshold_type = models.CharField(max_length=10)
    avg_daily_sales = models.DecimalField(max_digits=12, decimal_places=4)
    estimated_stockout_date = models.DateField(null=True, blank=True)
    urgency = models.CharField(max_length=15, choices=Urgency.choices)
    channels = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    paged = models.BooleanField(default=False, help_text="a PagerDuty incident is open for it")
    last_alerted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["product_id"], condition=Q(status="active"), name="one_active_alert"),
        ]
        indexes = [
            models.Index(fields=["status", "estimated_stockout_date", "id"], name="alert_status_eta_idx"),
            models.Index(fields=["merchant_id", "status", "estimated_stockout_date"], name="alert_merchant_eta_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.id} {self.sku} ({self.status})"

    @property
    def percent_of_threshold(self) -> int:
        """Stock as a % of the threshold (the ops panel's "% of threshold remaining")."""
        return round(100 * self.current_stock / self.threshold) if self.threshold else 0


class StockCheckRun(models.Model):
    """One run of the stock check, so ops can see it is running (runbook: "cron job paused")."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    evaluated = models.PositiveIntegerField(default=0)
    alerted = models.PositiveIntegerField(default=0)
    suppressed = models.PositiveIntegerField(default=0)
    early_warning = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)
    paged = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["-started_at"], name="stock_check_recent_idx")]

    def __str__(self) -> str:
        return f"stock check {self.started_at:%Y-%m-%d %H:%M}"
