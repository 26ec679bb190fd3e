"""`manage.py seed_demo` gives the inventory the seeds' figures, and running it twice changes nothing."""
from io import StringIO

import pytest
from django.core.management import call_command

from apps.inventory.models import DailySales, InventoryThreshold, LowStockAlert, StockLevel, StockMovement

pytestmark = pytest.mark.django_db


def test_seed_demo_loads_the_seed_figures_idempotently():
    call_command("seed_demo", stdout=StringIO())
    levels = {level.product_id: level for level in StockLevel.objects.all()}
    movements = StockMovement.objects.count()

    call_command("seed_demo", stdout=StringIO())

    assert StockMovement.objects.count() == movements
    assert DailySales.objects.filter(product_id="prod_cable_usbc").count() == 30
    assert len(levels) >= 63
    monitor, headphones, cable = (levels[p] for p in ("prod_monitor_32in", "prod_headphones_nc", "prod_cable_usbc"))
    assert (float(monitor.avg_daily_sales), monitor.threshold_units, monitor.on_hand) == (30.0, 315, 360)
    assert (float(headphones.avg_daily_sales), headphones.threshold_units, headphones.on_hand) == (8.5, 20, 12)
    assert (float(cable.avg_daily_sales), cable.threshold_units, cable.on_hand) == (45.2, 500, 340)
    assert InventoryThreshold.objects.get(product_id="prod_cable_usbc").threshold_type == "relative"
    urgencies = set(LowStockAlert.objects.filter(status="active").values_list("urgency", flat=True))
    assert {"critical", "warning"} <= urgencies
    assert LowStockAlert.objects.get(product_id="prod_headphones_nc", status="active").urgency == "critical"
    assert not LowStockAlert.objects.filter(product_id="prod_monitor_32in").exists()  # early warning only
    fine = [lvl for lvl in StockLevel.objects.all() if lvl.threshold_units and lvl.on_hand > 1.2 * lvl.threshold_units]
    assert len(fine) > 20
