"""stock_reserve: one statement locks, checks, takes the stock and writes the ledger, all lines or none."""
import threading

import pytest
from django.db import connection

from apps.catalog.testing import ProductFactory
from apps.inventory.errors import OutOfStock
from apps.inventory.models import StockLevel, StockMovement
from apps.inventory.services import StockLine, stock_reserve, stock_set


def on_hand(*products) -> list[int]:
    return [StockLevel.objects.get(product_id=product.id).on_hand for product in products]


@pytest.mark.django_db
def test_a_reservation_takes_every_line_and_writes_the_ledger_in_product_order():
    # given
    second, first = ProductFactory(id="prod_res_b"), ProductFactory(id="prod_res_a")
    stock_set(product_id=first.id, quantity=10)
    stock_set(product_id=second.id, quantity=4)
    # when: the same product twice in the lines counts once, with both quantities
    stock_reserve(lines=[StockLine(second.id, 3), StockLine(first.id, 2), StockLine(first.id, 1)],
                  reference="ord_res_1")
    # then
    assert on_hand(first, second) == [7, 1]
    ledger = list(StockMovement.objects.filter(reference="ord_res_1").order_by("id")
                  .values_list("product_id", "delta", "balance_after", "reason", "note"))
    assert ledger == [(first.id, -3, 7, "sale", ""), (second.id, -3, 1, "sale", "")]


@pytest.mark.django_db
def test_a_short_line_refuses_the_whole_reservation_and_writes_nothing():
    # given: one product with enough, one with too little, one with no stock row at all
    plenty, scarce, unstocked = ProductFactory(), ProductFactory(), ProductFactory()
    stock_set(product_id=plenty.id, quantity=10)
    stock_set(product_id=scarce.id, quantity=1)
    ledger_before = StockMovement.objects.count()
    # when
    with pytest.raises(OutOfStock) as refused:
        stock_reserve(lines=[StockLine(plenty.id, 5), StockLine(scarce.id, 2), StockLine(unstocked.id, 1)],
                      reference="ord_res_2")
    # then: both short items are named, and no balance or ledger row moved
    assert sorted(refused.value.extra["items"]) == sorted([scarce.id, unstocked.id])
    assert on_hand(plenty, scarce) == [10, 1]
    assert StockMovement.objects.count() == ledger_before


@pytest.mark.django_db(transaction=True)
def test_concurrent_reservations_over_the_same_products_neither_oversell_nor_deadlock():
    # given: 5 of each of two products, and 12 orders of one of each, half naming them in the other order
    left, right = ProductFactory(), ProductFactory()
    stock_set(product_id=left.id, quantity=5)
    stock_set(product_id=right.id, quantity=5)
    barrier = threading.Barrier(12)
    outcomes: list[str] = []

    def reserve(index: int) -> None:
        lines = [StockLine(left.id, 1), StockLine(right.id, 1)]
        barrier.wait()
        try:
            stock_reserve(lines=lines if index % 2 else lines[::-1], reference=f"ord_race_{index}")
            outcomes.append("reserved")
        except OutOfStock:
            outcomes.append("short")
        except Exception as error:  # a deadlock or a check-constraint violation would land here
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=reserve, args=(index,)) for index in range(12)]
    # when
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then: exactly the stock there was, each ledger balance once
    assert sorted(outcomes) == ["reserved"] * 5 + ["short"] * 7
    assert on_hand(left, right) == [0, 0]
    balances = sorted(StockMovement.objects.filter(product_id=left.id, reason="sale")
                      .values_list("balance_after", flat=True))
    assert balances == [0, 1, 2, 3, 4]
