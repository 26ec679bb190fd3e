"""Test support of the events app: what other apps' tests read of the outbox."""
from .models import OutboxEvent


def outbox_events(**lookups) -> list[OutboxEvent]:
    """The outbox rows matching Django lookups (`payload__properties__cart_id=…`), oldest first."""
    return list(OutboxEvent.objects.filter(**lookups).order_by("id"))
