"""Stock through HTTP: PUT sets a count, adjustments record movements, both write the ledger,
concurrent movements never lose an update, stock never goes negative, merchants are scoped."""
import threading

import pytest
from django.db import connection

from apps.inventory.models import StockLevel, StockMovement
from apps.inventory.services import stock_adjust

pytestmark = pytest.mark.django_db


def test_put_sets_the_counted_quantity_and_writes_the_ledger(seed_catalog, merchant_api):
    response = merchant_api.put("/api/v1/inventory/stock/prod_headphones_nc", {"quantity": 40, "note": "cycle count"},
                                format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["product_id"], body["on_hand"], body["avg_daily_sales"]) == ("prod_headphones_nc", 40, 8.5)
    movement = StockMovement.objects.filter(product_id="prod_headphones_nc").latest("id")
    assert (movement.delta, movement.balance_after, movement.reason, movement.note) == (28, 40, "set", "cycle count")


def test_adjustment_records_a_movement(seed_catalog, merchant_api):
    response = merchant_api.post("/api/v1/inventory/stock/prod_cable_usbc/adjustments",
                                 {"delta": 160, "reason": "restock", "note": "PO-7781"}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert (body["delta"], body["balance_after"], body["reason"], body["note"]) == (160, 500, "restock", "PO-7781")
    ledger = merchant_api.get("/api/v1/inventory/stock/prod_cable_usbc/adjustments").json()["movements"]
    assert ledger[0]["movement_id"] == body["movement_id"]
    assert merchant_api.get("/api/v1/inventory/stock/prod_cable_usbc").json()["on_hand"] == 500


def test_adjustment_below_zero_is_refused(seed_catalog, merchant_api):
    response = merchant_api.post("/api/v1/inventory/stock/prod_headphones_nc/adjustments",
                                 {"delta": -13, "reason": "damage"}, format="json")
    assert response.status_code == 409
    assert response.json()["error"] == "OUT_OF_STOCK"
    assert StockLevel.objects.get(product_id="prod_headphones_nc").on_hand == 12


def test_adjustments_past_what_on_hand_can_hold_are_a_422_naming_the_limit(seed_catalog, merchant_api):
    # given a product counted at the highest quantity a PUT accepts
    assert merchant_api.put("/api/v1/inventory/stock/prod_cable_usbc", {"quantity": 100_000_000},
                            format="json").status_code == 200
    statuses = []

    # when the largest allowed restock is sent until the PostgreSQL integer would overflow
    for _ in range(25):
        response = merchant_api.post("/api/v1/inventory/stock/prod_cable_usbc/adjustments",
                                     {"delta": 100_000_000, "reason": "restock"}, format="json")
        statuses.append(response.status_code)

    # then every restock that fits is applied and the first that does not is a 422, not a 500
    assert statuses == [201] * 20 + [422] * 5
    error = response.json()["errors"][0]
    assert (error["field"], error["code"], error["constraint"]) == ("delta", "OUT_OF_RANGE",
                                                                    "on_hand + delta <= 2147483647")
    assert StockLevel.objects.get(product_id="prod_cable_usbc").on_hand == 2_100_000_000


@pytest.mark.parametrize(("path", "body", "field"), [
    ("stock/prod_headphones_nc", {"quantity": -1}, "quantity"),
    ("stock/prod_headphones_nc", {}, "quantity"),
    ("stock/prod_headphones_nc/adjustments", {"delta": 0}, "delta"),
    ("stock/prod_headphones_nc/adjustments", {"delta": 3, "reason": "sale"}, "reason"),
])
def test_invalid_stock_input_is_a_422(seed_catalog, merchant_api, path, body, field):
    method = merchant_api.put if path.count("/") == 1 else merchant_api.post
    response = method(f"/api/v1/inventory/{path}", body, format="json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field


def test_other_merchants_stock_is_404(seed_catalog, other_merchant_api, staff_api):
    assert other_merchant_api.put("/api/v1/inventory/stock/prod_headphones_nc", {"quantity": 0},
                                  format="json").status_code == 404
    assert other_merchant_api.post("/api/v1/inventory/stock/prod_headphones_nc/adjustments", {"delta": 5},
                                   format="json").json()["error"] == "PRODUCT_NOT_FOUND"
    assert other_merchant_api.get("/api/v1/inventory/stock/prod_nope").status_code == 404
    assert StockLevel.objects.get(product_id="prod_headphones_nc").on_hand == 12
    assert staff_api.put("/api/v1/inventory/stock/prod_headphones_nc", {"quantity": 30},
                       format="json").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_concurrent_movements_never_lose_an_update(seed_catalog):
    errors = []

    def worker(delta: int):
        try:
            for _ in range(10):
                stock_adjust(product_id="prod_cable_usbc", delta=delta)
        except Exception as failure:  # surfaced below
            errors.append(failure)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(1 if i % 2 else -1,)) for i in range(8)]
    threads += [threading.Thread(target=worker, args=(2,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert StockLevel.objects.get(product_id="prod_cable_usbc").on_hand == 340 + 4 * 10 * 2
    movements = StockMovement.objects.filter(product_id="prod_cable_usbc", reason="adjustment")
    assert movements.count() == 120
    assert sum(movements.values_list("delta", flat=True)) == 80  # the ledger adds up to the balance change
