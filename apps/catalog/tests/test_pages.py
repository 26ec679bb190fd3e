"""Shopper catalog pages: the product list (category filter, pagination, active products only) and
the product detail page with its add-to-cart form."""
from decimal import Decimal

import pytest

from apps.catalog.testing import CategoryFactory, ProductFactory
from apps.inventory.public import stock_set

pytestmark = pytest.mark.django_db


def test_product_list_shows_active_products_with_prices(client):
    ProductFactory(name="Desk Lamp", price=Decimal("24.50"))
    ProductFactory(name="Retired Lamp", active=False)
    html = client.get("/products/").content.decode()
    assert "Desk Lamp" in html and "$24.50" in html
    assert "Retired Lamp" not in html


def test_product_list_filters_by_category_and_marks_the_current_one(client):
    electronics = CategoryFactory(slug="electronics", name="Electronics")
    ProductFactory(name="Webcam", category=electronics)
    ProductFactory(name="Mug")
    html = client.get("/products/?category=electronics").content.decode()
    assert "Webcam" in html and "Mug" not in html
    assert 'href="?category=electronics" aria-current="page"' in html


def test_product_list_paginates(client):
    for index in range(30):
        ProductFactory(name=f"Item {index:02d}")
    first, second = client.get("/products/").content.decode(), client.get("/products/?page=2").content.decode()
    assert "Page 1 of 2" in first and "Item 00" in first and "Item 29" not in first
    assert "Item 29" in second


def test_product_detail_has_the_add_to_cart_form(client):
    product = ProductFactory(id="prod_monitor_32in", name='32" 4K Pro Monitor', price=Decimal("449.00"))
    html = client.get(f"/products/{product.id}/").content.decode()
    assert "$449.00" in html and 'action="/cart/add"' in html and f'value="{product.id}"' in html


@pytest.mark.parametrize("active", [False, None])
def test_product_detail_of_missing_or_inactive_product_is_404(client, active):
    path = "/products/prod_missing/" if active is None else f"/products/{ProductFactory(active=False).id}/"
    assert client.get(path).status_code == 404


def test_every_catalog_and_cart_page_writes_prices_for_the_locale(client):
    product = ProductFactory(name="Studio Camera", price=Decimal("12499.50"))
    stock_set(product_id=product.id, quantity=5)
    client.post("/cart/add", {"product_id": product.id, "quantity": 2})

    pages = {path: client.get(path).content.decode() for path in ("/products/", f"/products/{product.id}/", "/cart/")}

    for path, html in pages.items():
        assert "$12,499.50" in html and "$12499.50" not in html, path
    assert "$24,999.00" in pages["/cart/"]
