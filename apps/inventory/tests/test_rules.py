"""The DESIGN.md rules read from the seeds' numbers, at their boundaries."""
from datetime import date
from decimal import Decimal

import pytest

from apps.inventory.rules import (
    category_default_units,
    estimated_stockout_date,
    needs_page,
    urgency_for,
)


@pytest.mark.parametrize(("stock", "avg", "expected"), [
    (12, "8.5", date(2025, 10, 16)),  # headphones: floor(1.41) = 1 day
    (340, "45.2", date(2025, 10, 22)),  # cable: floor(7.52) = 7 days
    (0, "3", date(2025, 10, 15)),
    (10, "0", None),  # nothing sells: no stockout expected
])
def test_estimated_stockout_date(stock, avg, expected):
    assert estimated_stockout_date(today=date(2025, 10, 15), current_stock=stock,
                                   avg_daily_sales=Decimal(avg)) == expected


@pytest.mark.parametrize(("days", "urgency"), [
    (0, "critical"), (2, "critical"), (3, "warning"), (7, "warning"), (8, "informational"), (None, "informational"),
])
def test_urgency_by_days_to_stockout(days, urgency):
    assert urgency_for(days_to_stockout=days) == urgency


@pytest.mark.parametrize(("on_hand", "threshold", "page"), [(9, 20, True), (10, 20, False), (0, 1, True)])
def test_pagerduty_below_half_the_threshold(on_hand, threshold, page):
    assert needs_page(on_hand=on_hand, threshold=threshold) is page


@pytest.mark.parametrize(("slug", "units"), [
    ("general-merchandise", 50), ("electronics", 20), ("consumables", 100), ("garden", 50),
])
def test_category_defaults(slug, units):
    assert category_default_units(slug) == units
