"""Delivery records of the alert channels that leave the building: merchant webhooks, PagerDuty
and the email digest. Each row is written in the stock check's transaction and worked off by
tasks, so an unreachable channel delays delivery but loses nothing (Kafka uses the events outbox).
"""
from django.db import models


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "pending"
    DELIVERED = "delivered", "delivered"
    FAILED = "failed", "failed (gave up)"


class WebhookEndpoint(models.Model):
    """A merchant's webhook target. The secret signs deliveries and is never shown again."""

    merchant_id = models.BigIntegerField(unique=True)
    url = models.URLField(max_length=500)
    secret = models.CharField(max_length=200, help_text="write-only; signs X-Vantage-Signature")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    """One event to one endpoint. `body` is the exact JSON sent on every attempt (what is signed);
    its `event_id` is also the `Webhook-Id` header, so receivers de-duplicate retries."""

    event_id = models.CharField(max_length=64, unique=True)
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    merchant_id = models.BigIntegerField(db_index=True)
    event_type = models.CharField(max_length=40, default="inventory.low_stock")
    alert_id = models.CharField(max_length=40, blank=True, default="")
    body = models.TextField()
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "webhook deliveries"
        indexes = [models.Index(fields=["next_attempt_at"], name="webhook_pending_idx",
                                condition=models.Q(status="pending"))]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id} ({self.status})"


class WebhookAttempt(models.Model):
    """One HTTP attempt of a delivery: what the merchant's endpoint answered and how fast."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveSmallIntegerField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    latency_ms = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["delivery_id", "number"]

    def __str__(self) -> str:
        return f"attempt {self.number}: {self.status_code or self.error}"


class PagerDutyEvent(models.Model):
    """A PagerDuty Events API v2 call to make: trigger or resolve, keyed by the product's dedup_key."""

    class Action(models.TextChoices):
        TRIGGER = "trigger", "trigger"
        RESOLVE = "resolve", "resolve"

    alert_id = models.CharField(max_length=40, db_index=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    dedup_key = models.CharField(max_length=255)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True, default="")
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["next_attempt_at"], name="pagerduty_pending_idx",
                                condition=models.Q(status="pending"))]

    def __str__(self) -> str:
        return f"{self.action} {self.dedup_key} ({self.status})"


class DigestRecipient(models.Model):
    """Someone who gets the daily low-stock digest, with the urgencies they want to see."""

    email = models.EmailField(unique=True)
    urgencies = models.JSONField(default=list, help_text='e.g. ["critical", "warning"]; empty = all')
    active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.email


class DigestDelivery(models.Model):
    """The digest of one day to one recipient (unique, so a retried run never sends twice)."""

    day = models.DateField()
    recipient = models.EmailField()
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    item_count = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True, default="")
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "digest deliveries"
        constraints = [models.UniqueConstraint(fields=["day", "recipient"], name="uniq_digest_day_recipient")]

    def __str__(self) -> str:
        return f"digest {self.day} → {self.recipient} ({self.status})"
