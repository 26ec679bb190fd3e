"""Two shoppers (or two tabs) returning the last unit of a line at the same moment: the order's
advisory lock lets exactly one of them have it."""
import threading

import pytest
from django.db import connection

from apps.checkout.public import order_get
from apps.core.errors import ValidationFailed
from apps.returns.models import Return
from apps.returns.services.eligibility import RequestedItem
from apps.returns.services.lifecycle import Actor
from apps.returns.services.returns import return_create

from .conftest import lines_of

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_returns_cannot_both_take_the_last_unit(make_order):
    order = make_order(lines=[(1, "10.00")])
    (line,) = lines_of(order)
    snapshot = order_get(order_id=order.id)
    barrier, outcomes = threading.Barrier(4), []

    def attempt():
        try:
            barrier.wait()
            return_create(order=snapshot, items=[RequestedItem(order_line_id=str(line.pk), quantity=1,
                                                               reason="defective")], actor=Actor.system("test"))
            outcomes.append("created")
        except ValidationFailed as exc:
            outcomes.append(exc.errors[0].code)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["QUANTITY_EXCEEDS_RETURNABLE"] * 3 + ["created"]
    assert Return.objects.count() == 1
