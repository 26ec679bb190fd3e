"""Writes of the events app: `event_publish` (the outbox) and `outbox_relay` (delivery to Kafka).

Delivery is at-least-once: a row is marked delivered only on the broker's delivery report, so a
crash between produce and mark re-sends it; consumers de-duplicate on `event_id`.
"""
import json
import logging
from contextlib import ExitStack
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.core.after_response import task_send
from apps.core.inserts import insert_later
from apps.core.locks import LockUnavailable, advisory_session_lock

from .integrations import kafka
from .models import OutboxEvent
from .topics import ALL_TOPICS

logger = logging.getLogger(__name__)

RELAY_LOCK = "events:outbox-relay"  # advisory lock: one relay delivers at a time, keeping key order
MAX_BACKOFF_SECONDS = 300


def event_publish(*, topic: str, key: str, payload: dict, occurred_at=None) -> OutboxEvent:
    """Record an event in the caller's transaction; it is relayed to Kafka after commit.

    `event_id` and `occurred_at` are added to the payload so consumers can de-duplicate and order.
    """
    return event_publish_many(events=[(topic, key, payload, occurred_at)])[0]


def event_publish_many(*, events: list[tuple[str, str, dict, object]]) -> list[OutboxEvent]:
    """`event_publish` for several (topic, key, payload, occurred_at) in one insert."""
    rows = []
    for topic, key, payload, occurred_at in events:
        occurred_at = occurred_at or timezone.now()
        event = OutboxEvent(topic=topic, key=str(key), payload={}, occurred_at=occurred_at)
        event.payload = {**payload, "event_id": str(event.event_id), "occurred_at": occurred_at.isoformat()}
        rows.append(event)
    _insert(rows)
    return rows


def _insert(rows: list[OutboxEvent]) -> None:
    """Now, or with the caller's other rows when its `insert_batch()` ends (event ids are made here, not by
    the database, so they are known at once either way)."""
    insert_later(rows)
    _kick_relay_after_commit()


def _kick_relay_after_commit() -> None:
    """One kick per transaction, however many events it publishes; inside a request, one when its response
    is done, however many of its transactions publish (a checkout commits two)."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(func is _kick_relay for _, func, _ in connection.run_on_commit):
        return
    transaction.on_commit(_kick_relay)


def _kick_relay() -> None:
    """Ask a worker to relay now; if Celery's broker is down, beat's periodic relay still will."""
    from .tasks import relay_outbox  # here: the tasks module imports this one

    task_send(relay_outbox)


def backoff_seconds(attempts: int) -> int:
    return min(2 ** attempts, MAX_BACKOFF_SECONDS)


def pending_batch(limit: int) -> list[OutboxEvent]:
    """Undelivered rows in id order, skipping every row whose topic+key has an earlier row
    still waiting for a retry (so a key's events never overtake each other)."""
    now = timezone.now()
    return list(OutboxEvent.objects.raw(
        """
        SELECT o.* FROM events_outboxevent o
        WHERE o.delivered_at IS NULL
          AND NOT EXISTS (
              SELECT 1 FROM events_outboxevent b
              WHERE b.delivered_at IS NULL AND b.topic = o.topic AND b.key = o.key AND b.id <= o.id
                AND b.next_attempt_at IS NOT NULL AND b.next_attempt_at > %s
          )
        ORDER BY o.id
        LIMIT %s
        """,
        [now, limit],
    ))


def outbox_relay(*, batch_size: int | None = None, max_batches: int = 20, delivery_timeout_ms: int = 15000) -> dict:
    """Deliver pending events; returns counts. Safe to run from several processes at once."""
    with ExitStack() as held:
        try:
            # Session-level: the relay commits batch by batch, and the lock must span all of them.
            held.enter_context(advisory_session_lock(RELAY_LOCK))
        except LockUnavailable:
            return {"delivered": 0, "failed": 0, "skipped": "another relay is running"}
        return _relay(batch_size=batch_size, max_batches=max_batches, delivery_timeout_ms=delivery_timeout_ms)


def _relay(*, batch_size: int | None, max_batches: int, delivery_timeout_ms: int) -> dict:
    totals = {"delivered": 0, "failed": 0}
    producer = None
    for _ in range(max_batches):
        batch = pending_batch(batch_size or settings.OUTBOX_BATCH_SIZE)
        if not batch:
            break
        if producer is None:
            if not kafka.broker_reachable(timeout_seconds=3.0):
                _record_failure(batch, "broker unreachable")
                totals["failed"] += len(batch)
                break
            kafka.ensure_topics(ALL_TOPICS, settings.KAFKA_TOPIC_PARTITIONS, settings.KAFKA_REPLICATION_FACTOR)
            producer = kafka.new_producer(delivery_timeout_ms)
        delivered, failed = _deliver(producer, batch)
        totals["delivered"] += delivered
        totals["failed"] += failed
        if failed:
            break
    return totals


def _deliver(producer, batch: list[OutboxEvent]) -> tuple[int, int]:
    errors: dict[int, str] = {}
    acked: list[int] = []

    def on_delivery(outbox_id):
        def report(err, _msg):
            if err is None:
                acked.append(outbox_id)
            else:
                errors[outbox_id] = str(err)
        return report

    for event in batch:
        producer.produce(
            event.topic, key=event.key.encode(), value=json.dumps(event.payload, default=str).encode(),
            headers={"event_id": str(event.event_id)}, on_delivery=on_delivery(event.id),
        )
        producer.poll(0)
    remaining = producer.flush(timeout=30)
    if remaining:
        logger.warning("outbox flush left undelivered messages", extra={"remaining": remaining})
    if acked:
        OutboxEvent.objects.filter(id__in=acked).update(delivered_at=timezone.now(), next_attempt_at=None)
    failed = [e for e in batch if e.id not in set(acked)]
    if failed:
        _record_failure(failed, "; ".join(sorted(set(errors.values())))[:500] or "no delivery report")
    return len(acked), len(failed)


def _record_failure(events: list[OutboxEvent], error: str) -> None:
    now = timezone.now()
    for event in events:
        event.attempts += 1
        event.next_attempt_at = now + timedelta(seconds=backoff_seconds(event.attempts))
        event.last_error = error
    OutboxEvent.objects.bulk_update(events, ["attempts", "next_attempt_at", "last_error"])
    logger.warning("outbox delivery failed; will retry", extra={"events": len(events), "error": error})
