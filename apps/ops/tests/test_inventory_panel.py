"""/ops/inventory/: products below threshold from the last stock check, most urgent first, with the
seed's columns, red/yellow rows, and a card per product on phones (the stylesheet's media query)."""
import pytest

pytestmark = pytest.mark.django_db

SEED_COLUMNS = ["Product", "SKU", "Stock", "Threshold", "% of threshold", "Avg daily sales", "Est. stockout",
                "Supplier (lead time)"]


def test_the_panel_lists_products_below_threshold_by_stockout_date(low_stock, staff_client):
    response = staff_client.get("/ops/inventory/")

    html = response.content.decode()
    assert "Products Below Threshold with Restock ETA" in html
    for column in SEED_COLUMNS:
        assert f">{column}</th>" in html
    assert html.index("OPS-HUB-1") < html.index("OPS-MOUSE-1")  # out in 2 days before out in 5
    assert html.index('class="row-critical"') < html.index('class="row-warning"')
    assert "20%" in html and "75%" in html  # 4 and 15 of the electronics default of 20 units
    assert 'Northwind Electronics <span class="nowrap">(7 days)</span>' in html
    assert 'Cable &amp; Co <span class="nowrap">(4 days)</span>' in html
    assert 'href="/static/ops/ops.css"' in html
    # reloaded every 5 minutes by a script the reader can pause, not by a <meta> refresh they cannot stop
    assert 'data-auto-refresh="300"' in html and "/static/ops/auto-refresh.js" in html
    assert 'http-equiv="refresh"' not in html


def test_the_panel_says_so_when_nothing_is_below_threshold(staff_client):
    html = staff_client.get("/ops/inventory/").content.decode()

    assert "No product is below its threshold." in html and "never run" in html
