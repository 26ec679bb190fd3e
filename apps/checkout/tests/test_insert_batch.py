"""`insert_batch()` (apps.core.inserts) as the checkout's transactions use it: order lines, the confirmation
email and outbox events given to `insert_later` inside the block are written in one statement when it ends,
with their keys set then and the email queued at commit with its own id."""
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from apps.checkout.models import EmailDelivery, OrderLine
from apps.checkout.services import emails
from apps.checkout.testing import OrderFactory
from apps.core.inserts import insert_batch, insert_later
from apps.events.public import ORDERS_EVENTS, publish

pytestmark = pytest.mark.django_db


def line(order, sku: str) -> OrderLine:
    return OrderLine(order=order, product_id=f"prod_{sku}", sku=sku, name=sku, quantity=1,
                     unit_price=Decimal("5.00"), line_total=Decimal("5.00"))


def writes(queries: CaptureQueriesContext) -> list[str]:
    return [query["sql"] for query in queries.captured_queries if query["sql"].startswith(("INSERT", "WITH"))]


def test_rows_of_three_models_are_one_statement_with_keys_in_order(monkeypatch, django_capture_on_commit_callbacks):
    # given
    order = OrderFactory()
    queued: list[int] = []
    monkeypatch.setattr(emails, "_queue_send", queued.append)
    lines = [line(order, "A"), line(order, "B")]
    # when
    with (django_capture_on_commit_callbacks(execute=True), CaptureQueriesContext(connection) as queries,
          transaction.atomic(), insert_batch()):
        insert_later(lines[:1])
        delivery = emails.order_email_queue(order=order, template=emails.ORDER_CONFIRMATION)
        publish(ORDERS_EVENTS, order.id, {"event_type": "order_paid"})
        insert_later(lines[1:])
        assert delivery.pk is None and not OrderLine.objects.filter(order=order).exists()  # not yet written
        assert queued == []
    # then: one statement; the lines keep the order they were given in, and every key is the row's
    statements = writes(queries)
    assert len(statements) == 1 and statements[0].startswith("WITH")
    assert [row.pk for row in lines] == list(OrderLine.objects.filter(order=order).order_by("id")
                                             .values_list("id", flat=True))
    assert [row.sku for row in OrderLine.objects.filter(order=order).order_by("id")] == ["A", "B"]
    assert EmailDelivery.objects.get(pk=delivery.pk).order_id == order.id
    assert queued == [delivery.pk]


def test_an_exception_in_the_block_writes_nothing_and_the_next_insert_is_immediate():
    # given
    order = OrderFactory()
    # when
    with pytest.raises(RuntimeError), insert_batch():
        insert_later([line(order, "A")])
        raise RuntimeError("placing failed")
    # then
    assert not OrderLine.objects.filter(order=order).exists()
    insert_later([line(order, "B")])
    assert list(OrderLine.objects.filter(order=order).values_list("sku", flat=True)) == ["B"]


def test_a_nested_block_joins_the_outer_one():
    order = OrderFactory()
    with CaptureQueriesContext(connection) as queries, insert_batch():
        insert_later([line(order, "A")])
        with insert_batch():
            insert_later([line(order, "B")])
        assert not OrderLine.objects.filter(order=order).exists()
    assert len(writes(queries)) == 1
    assert [row.sku for row in OrderLine.objects.filter(order=order).order_by("id")] == ["A", "B"]
