"""Test support of the inventory app: sales history for velocity tests."""
from datetime import date, timedelta

from .demo import daily_units
from .models import DailySales


def sales_history(product_id: str, *, total_units: int, today: date, days: int = 30) -> None:
    """`total_units` sold over the `days` days before `today`, spread evenly (exact average)."""
    DailySales.objects.bulk_create([
        DailySales(product_id=product_id, day=today - timedelta(days=offset + 1), units=units)
        for offset, units in enumerate(daily_units(total_units, days))
    ])
