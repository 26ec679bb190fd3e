"""Reads of the events app."""
from .models import OutboxEvent


def outbox_backlog() -> int:
    return OutboxEvent.objects.filter(delivered_at__isnull=True).count()
