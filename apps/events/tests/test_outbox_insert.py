"""Outbox rows go in through `apps.core.inserts.insert_instances` (SQL built once per number of rows): the
rows must be exactly those Django's own save would write, with their ids known at once and in order."""
import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.core.inserts import insert_instances
from apps.events.models import OutboxEvent

pytestmark = pytest.mark.django_db

PAYLOAD = {"event_type": "order_paid", "total": "47.99", "lines": [{"sku": "MUG-1", "qty": 2}], "note": "café ☕",
           "nested": {"empty": {}, "none": None, "flag": True}}
OCCURRED = datetime.datetime(2026, 12, 7, 12, 0, 0, 123456, tzinfo=datetime.UTC)


def stored(row: OutboxEvent) -> dict:
    row = OutboxEvent.objects.get(pk=row.pk)
    return {field.attname: getattr(row, field.attname) for field in OutboxEvent._meta.concrete_fields
            if field.attname not in ("id", "event_id", "created_at")}


def test_rows_are_those_the_orm_writes_with_their_ids_in_order():
    # given
    by_orm = OutboxEvent(topic="orders.events", key="ord_1", payload=PAYLOAD, occurred_at=OCCURRED)
    by_orm.save()
    rows = [OutboxEvent(topic="orders.events", key=f"ord_{index}", payload=PAYLOAD, occurred_at=OCCURRED)
            for index in range(1, 4)]
    before = timezone.now()
    # when
    with CaptureQueriesContext(connection) as queries:
        insert_instances(rows)
    # then
    assert len(queries.captured_queries) == 1
    assert [row.pk for row in rows] == sorted(row.pk for row in rows) and rows[0].pk > by_orm.pk
    assert all(not row._state.adding for row in rows)
    assert stored(rows[0]) == stored(by_orm)
    assert [stored(row)["key"] for row in rows] == ["ord_1", "ord_2", "ord_3"]
    written = OutboxEvent.objects.get(pk=rows[2].pk)
    assert written.event_id == rows[2].event_id and isinstance(written.event_id, uuid.UUID)
    assert written.created_at >= before and written.payload == PAYLOAD and written.attempts == 0


def test_nothing_to_insert_sends_nothing():
    with CaptureQueriesContext(connection) as queries:
        insert_instances([])
    assert queries.captured_queries == []
