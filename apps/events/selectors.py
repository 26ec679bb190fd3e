"""Reads of the events app."""
from datetime import datetime

from django.db.models import Count, Min

from .models import OutboxEvent


def outbox_backlog() -> int:
    return OutboxEvent.objects.filter(delivered_at__isnull=True).count()


def outbox_backlog_by_topic() -> dict[str, tuple[int, datetime]]:
    """Undelivered rows per topic and the creation time of the oldest, in one grouped query."""
    rows = (OutboxEvent.objects.filter(delivered_at__isnull=True).values("topic")
            .annotate(n=Count("id"), oldest=Min("created_at")).order_by())
    return {row["topic"]: (row["n"], row["oldest"]) for row in rows}
