"""Sales velocity = units of the last 30 days / 30, recomputed on demand and nightly; relative
thresholds follow it (150 % x 30/day x 7 days = 315)."""
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from apps.inventory.models import DailySales, InventoryThreshold, StockLevel
from apps.inventory.rules import threshold_units_compute
from apps.inventory.services.thresholds import ThresholdSpecInput, threshold_create
from apps.inventory.services.velocity import sales_velocity_recalculate
from apps.inventory.tasks import recalculate_sales_velocity

from .conftest import SEED_TODAY

pytestmark = pytest.mark.django_db


def test_seed_velocities_are_exact(seed_catalog):
    velocity = dict(StockLevel.objects.values_list("product_id", "avg_daily_sales"))
    assert {pid: float(v) for pid, v in velocity.items()} == {
        "prod_monitor_32in": 30.0, "prod_headphones_nc": 8.5, "prod_cable_usbc": 45.2}


@pytest.mark.parametrize(("pct", "avg", "days", "units"), [
    (150, "30", 7, 315), (100, "100", 7, 700), (150, "100", 7, 1050), (158, "45.2", 7, 500), (100, "0", 7, 0),
])
def test_relative_threshold_units(pct, avg, days, units):
    assert threshold_units_compute(threshold_type="relative", threshold_percentage=pct, reorder_lead_days=days,
                                   avg_daily_sales=Decimal(avg)) == units


def test_sales_outside_the_30_day_window_do_not_count(seed_catalog):
    DailySales.objects.create(product_id="prod_monitor_32in", day=SEED_TODAY - timedelta(days=31), units=9000)
    DailySales.objects.create(product_id="prod_monitor_32in", day=SEED_TODAY, units=9000)  # today is not over
    sales_velocity_recalculate(product_id="prod_monitor_32in", today=SEED_TODAY)
    assert StockLevel.objects.get(product_id="prod_monitor_32in").avg_daily_sales == 30


def test_recalculation_moves_relative_thresholds(seed_catalog):
    threshold_create(product_id="prod_monitor_32in", merchant_scope=None,
                     spec=ThresholdSpecInput("relative", threshold_percentage=150, reorder_lead_days=7))
    DailySales.objects.filter(product_id="prod_monitor_32in").update(units=20)  # 20/day now

    out = StringIO()
    call_command("recalculate_sales_velocity", "--product", "prod_monitor_32in", "--as-of", "2025-10-15", stdout=out)

    assert InventoryThreshold.objects.get().computed_threshold_units == 210  # 150 % x 20 x 7
    assert StockLevel.objects.get(product_id="prod_monitor_32in").threshold_units == 210
    assert "prod_monitor_32in: avg daily sales 20.00, threshold 210 units" in out.getvalue()


def test_nightly_task_recalculates_every_product(seed_catalog):
    StockLevel.objects.update(avg_daily_sales=0)
    recalculate_sales_velocity.apply()
    # the task uses the real date, so the seed's 2025 sales are outside its window
    assert set(StockLevel.objects.values_list("avg_daily_sales", flat=True)) == {0}
    out = StringIO()
    call_command("recalculate_sales_velocity", stdout=out)
    assert "recalculated sales velocity of 3 products" in out.getvalue()
