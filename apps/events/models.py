"""The outbox: events written in the caller's transaction, delivered to Kafka after commit."""
import uuid

from django.db import models


class OutboxEvent(models.Model):
    """One event waiting for (or done with) delivery.

    Rows are relayed in id order; an undelivered row blocks later rows of the same topic and key,
    so consumers see each key's events in the order they were written.
    """

    topic = models.CharField(max_length=200)
    key = models.CharField(max_length=200)
    event_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    payload = models.JSONField()
    occurred_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")

    class Meta:
        indexes = [
            models.Index(fields=["id"], name="outbox_pending_idx", condition=models.Q(delivered_at__isnull=True)),
            models.Index(fields=["topic", "key", "id"], name="outbox_topic_key_idx",
                         condition=models.Q(delivered_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.topic}/{self.key} {self.event_id}"
