"""The staff panel's read: products below threshold, most urgent first, as plain dataclasses."""
from datetime import date
from decimal import Decimal

import pytest

from apps.inventory.public import low_stock_panel_get
from apps.inventory.services import stock_set
from apps.inventory.services.stock_check import stock_check_run

from .conftest import SEED_NOW

pytestmark = pytest.mark.django_db


def test_low_stock_panel_lists_products_below_threshold_by_stockout_date(alerts):
    panel = low_stock_panel_get()

    assert [row.sku for row in panel.rows] == ["HP-NC-700-BLK", "CBL-USBC-2M"]
    headphones, cable = panel.rows
    assert (headphones.urgency, headphones.current_stock, headphones.threshold, headphones.percent_of_threshold) == (
        "critical", 12, 20, 60)
    assert (cable.urgency, cable.threshold, cable.threshold_type, cable.percent_of_threshold) == (
        "warning", 500, "relative", 68)
    assert headphones.estimated_stockout_date == date(2025, 10, 16)
    assert cable.estimated_stockout_date == date(2025, 10, 22)
    assert cable.avg_daily_sales == Decimal("45.2")
    assert (headphones.supplier_name, headphones.supplier_lead_time_days) == ("Northwind Electronics", 7)
    assert panel.counts == {"critical": 1, "warning": 1, "informational": 0}
    assert panel.last_check_at == SEED_NOW


def test_a_product_back_above_threshold_leaves_the_panel(alerts):
    stock_set(product_id="prod_headphones_nc", quantity=500)
    stock_check_run(now=SEED_NOW)

    assert [row.sku for row in low_stock_panel_get().rows] == ["CBL-USBC-2M"]


def test_the_panel_before_any_stock_check():
    panel = low_stock_panel_get()

    assert (panel.rows, panel.last_check_at) == ([], None)
    assert panel.counts == {"critical": 0, "warning": 0, "informational": 0}
