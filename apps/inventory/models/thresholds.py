"""Low-stock thresholds: products' own thresholds (`inventory_thresholds`, the runbook's table) and the
category rules that bulk updates set (for every product of the category without its own)."""
from django.db import models

from apps.core.ids import new_public_id


def new_threshold_id() -> str:
    return new_public_id("thr")


class ThresholdType(models.TextChoices):
    ABSOLUTE = "absolute", "absolute units"
    RELATIVE = "relative", "% of avg daily sales x reorder lead days"


class Channel(models.TextChoices):
    KAFKA = "kafka", "Kafka inventory.alerts"
    PAGERDUTY = "pagerduty", "PagerDuty (stock < 50% of threshold)"
    EMAIL_DIGEST = "email_digest", "daily email digest"
    WEBHOOK = "webhook", "merchant webhook"


# Channels of a product on its category's default threshold, and of a threshold created without a list.
# PagerDuty is among them because the seed pages inventory operations on every critical condition (stock
# under 50 % of the threshold); a threshold with its own list keeps exactly that list.
DEFAULT_CHANNELS = [Channel.KAFKA.value, Channel.PAGERDUTY.value, Channel.EMAIL_DIGEST.value]


class ThresholdSpec(models.Model):
    """What a threshold says; shared by product thresholds and category rules."""

    threshold_type = models.CharField(max_length=10, choices=ThresholdType.choices)
    threshold_value = models.PositiveIntegerField(null=True, blank=True, help_text="absolute: alert at <= units")
    threshold_percentage = models.PositiveIntegerField(null=True, blank=True,
                                                       help_text="relative: % of avg daily sales x lead days")
    reorder_lead_days = models.PositiveSmallIntegerField(null=True, blank=True)
    alert_channels = models.JSONField(default=list)

    class Meta:
        abstract = True


class InventoryThreshold(ThresholdSpec):
    """A product's own threshold (it overrides the category rule and the category default)."""

    id = models.CharField(max_length=40, primary_key=True, default=new_threshold_id, editable=False)
    product_id = models.CharField(max_length=64, unique=True)
    sku = models.CharField(max_length=64, blank=True, help_text="copied from the catalog, for ops searching logs")
    merchant_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    category_slug = models.CharField(max_length=50, blank=True, default="")
    computed_threshold_units = models.IntegerField(default=0)
    last_alerted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "inventory_thresholds"
        indexes = [models.Index(fields=["category_slug", "merchant_id"], name="threshold_category_idx")]

    def __str__(self) -> str:
        return f"{self.id} {self.sku or self.product_id}"


class CategoryThresholdRule(ThresholdSpec):
    """A category's threshold from the last bulk update (per merchant; merchant NULL = set by ops for
    everyone). Products without their own threshold use it before the category default."""

    category_slug = models.CharField(max_length=50)
    merchant_id = models.BigIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [  # one rule per merchant and category, and one all-merchants rule per category
            models.UniqueConstraint(fields=["category_slug", "merchant_id"], name="uniq_category_rule",
                                    condition=models.Q(merchant_id__isnull=False)),
            models.UniqueConstraint(fields=["category_slug"], name="uniq_category_rule_all_merchants",
                                    condition=models.Q(merchant_id__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.category_slug} ({self.merchant_id or 'all merchants'})"
