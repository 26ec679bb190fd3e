"""Events published inside `insert_batch()` (apps.core.inserts) by several calls are written at its end with
the block's other rows, in one statement of the caller's transaction; an exception inside discards them with
that transaction. The relay is kicked once per request, after its response, or at each commit outside a
request."""
import pytest
from django.core.signals import request_finished, request_started
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from apps.core.inserts import insert_batch
from apps.events.models import OutboxEvent
from apps.events.public import ORDERS_EVENTS, publish, publish_many

pytestmark = pytest.mark.django_db


def outbox_inserts(queries: CaptureQueriesContext) -> int:
    return sum('INSERT INTO "events_outboxevent"' in query["sql"] for query in queries.captured_queries)


def test_events_of_several_calls_are_one_insert_with_their_ids_known_at_once():
    # when
    with transaction.atomic(), CaptureQueriesContext(connection) as queries, insert_batch():
        first = publish(ORDERS_EVENTS, "ord_1", {"event_type": "order_paid"})
        rest = publish_many([(ORDERS_EVENTS, "ord_1", {"event_type": "order_shipped"}, None),
                             (ORDERS_EVENTS, "ord_2", {"event_type": "order_paid"}, None)])
        assert not OutboxEvent.objects.exists()  # nothing written before the block ends
    # then
    assert outbox_inserts(queries) == 1
    rows = list(OutboxEvent.objects.order_by("id"))
    assert [str(row.event_id) for row in rows] == [first, *rest]
    assert [row.payload["event_type"] for row in rows] == ["order_paid", "order_shipped", "order_paid"]


def test_a_nested_block_joins_the_outer_one():
    with transaction.atomic(), CaptureQueriesContext(connection) as queries, insert_batch():
        publish(ORDERS_EVENTS, "ord_1", {"n": 1})
        with insert_batch():
            publish(ORDERS_EVENTS, "ord_1", {"n": 2})
        publish(ORDERS_EVENTS, "ord_1", {"n": 3})
    assert outbox_inserts(queries) == 1
    assert [row.payload["n"] for row in OutboxEvent.objects.order_by("id")] == [1, 2, 3]


def test_an_exception_inside_the_block_writes_nothing():
    with pytest.raises(RuntimeError), transaction.atomic(), insert_batch():
        publish(ORDERS_EVENTS, "ord_1", {"n": 1})
        raise RuntimeError("placing failed")
    assert not OutboxEvent.objects.exists()
    # and the next publish outside any block is written at once again
    publish(ORDERS_EVENTS, "ord_1", {"n": 2})
    assert OutboxEvent.objects.count() == 1



@pytest.fixture
def kicks(monkeypatch):
    """What reaches the broker (apps.core.after_response's one publish per request): each relay kick."""
    from apps.core import after_response

    sent: list[str] = []
    monkeypatch.setattr(after_response, "_publish", lambda tasks: sent.extend(
        "kick" for task, _ in tasks if task.name == "events.relay_outbox"))
    return sent


@pytest.mark.django_db(transaction=True)
def test_a_request_kicks_the_relay_once_when_it_ends_however_many_transactions_publish(kicks):
    # given: a request (Django's signals, as every WSGI server sends them)
    request_started.send(sender=None)
    # when: two transactions publish
    for number in (1, 2):
        with transaction.atomic():
            publish(ORDERS_EVENTS, "ord_1", {"n": number})
    # then: nothing yet; one kick when the response is done
    assert kicks == []
    request_finished.send(sender=None)
    assert kicks == ["kick"]


def test_a_request_that_publishes_nothing_kicks_nothing(kicks):
    request_started.send(sender=None)
    request_finished.send(sender=None)
    assert kicks == []


@pytest.mark.django_db(transaction=True)
def test_outside_a_request_the_relay_is_kicked_at_commit(kicks):
    with transaction.atomic():
        publish(ORDERS_EVENTS, "ord_1", {"n": 1})
        publish(ORDERS_EVENTS, "ord_1", {"n": 2})
        assert kicks == []
    assert kicks == ["kick"]
