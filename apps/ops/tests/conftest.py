"""Fixtures of the staff-page tests (staff_user and staff_client come from apps.core.testing): a shopper
who is not staff, and products below threshold found by a real stock check."""
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.catalog.testing import CategoryFactory, ProductFactory, SupplierFactory
from apps.inventory.public import StockLine, sale_record, stock_set


@pytest.fixture
def shopper(django_user_model):
    return django_user_model.objects.create_user(username="shopper", password="pw-shop-123")


def _product(product_id: str, sku: str, name: str, supplier_name: str, lead_days: int):
    return ProductFactory(id=product_id, sku=sku, name=name, price="49.00",
                          category=CategoryFactory(slug="electronics", name="Electronics"),
                          supplier=SupplierFactory(name=supplier_name, typical_lead_time_days=lead_days))


@pytest.fixture
def low_stock():
    """Two electronics products under the category default threshold (20 units): 4 units selling
    2 a day (critical, out in 2 days) and 15 units selling 3 a day (warning, out in 5 days)."""
    today = timezone.now().date()
    for product_id, sku, name, supplier, lead_days, stock, per_day in (
            ("prod_ops_hub", "OPS-HUB-1", "USB Hub", "Northwind Electronics", 7, 4, 2),
            ("prod_ops_mouse", "OPS-MOUSE-1", "Wireless Mouse", "Cable & Co", 4, 15, 3)):
        _product(product_id, sku, name, supplier, lead_days)
        stock_set(product_id=product_id, quantity=stock)
        for days_ago in range(1, 31):
            sale_record(lines=[StockLine(product_id=product_id, quantity=per_day)],
                        day=today - timedelta(days=days_ago))
    call_command("recalculate_sales_velocity", stdout=StringIO())
    call_command("run_stock_check", stdout=StringIO())
