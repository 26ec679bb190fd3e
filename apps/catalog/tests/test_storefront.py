"""The storefront a shopper meets: home page, stock shown on every product, the
icon browsers ask for, and a demo catalogue whose products can be told apart (product pictures:
test_product_images.py)."""
import re
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

from apps.catalog.models import Product
from apps.catalog.testing import CategoryFactory, ProductFactory
from apps.inventory.public import stock_set

pytestmark = pytest.mark.django_db


def _product(stock: int, **fields) -> Product:
    product = ProductFactory(**fields)
    stock_set(product_id=product.id, quantity=stock)
    return product


def test_home_page_has_the_shop_featured_products_categories_and_reassurance(client):
    electronics = CategoryFactory(slug="electronics", name="Electronics")
    monitor = _product(5, id="prod_monitor_32in", name='32" 4K Pro Monitor', category=electronics)

    html = client.get("/").content.decode()

    assert "<h1" in html and "Everyday things, done well." in html
    assert "4K Pro Monitor" in html and f'href="/products/{monitor.id}/"' in html
    assert 'href="/products/?category=electronics"' in html
    assert "30-day returns" in html and "Delivery date before you pay" in html
    assert "/api/docs/" not in html  # developer links live in the README
    assert 'href="/admin/">Staff sign-in</a>' in html


@pytest.mark.parametrize(("stock", "label", "css"), [
    (0, "Out of stock", "stock stock-out"), (3, "Only 3 left", "stock stock-low"), (40, "In stock", "stock"),
])
def test_product_pages_show_stock(client, stock, label, css):
    product = _product(stock, name="Travel Mug")

    listing = client.get("/products/").content.decode()
    detail = client.get(f"/products/{product.id}/").content.decode()

    assert f'<span class="{css}">{label}</span>' in listing
    assert f'class="{css}" id="stock-status">{label}</p>' in detail


def test_out_of_stock_product_has_a_disabled_button_and_no_express_checkout(client):
    product = _product(0, name="Sold Out Lamp")
    html = client.get(f"/products/{product.id}/").content.decode()
    button = re.search(r'<button type="submit"[^>]*>([^<]*)</button>', html)
    assert "disabled" in button.group(0) and button.group(1) == "Out of stock"
    assert "data-express" not in html


def test_favicon_ico_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response.headers["Location"] == "/static/favicon.svg"
    assert "<svg" in Path(finders.find("favicon.svg")).read_text()
    assert 'rel="icon" href="/static/favicon.svg"' in client.get("/").content.decode()


def test_demo_catalogue_has_distinct_names_and_a_description_for_every_product():
    call_command("seed_demo", stdout=StringIO())
    products = list(Product.objects.filter(merchant__slug="demo"))
    names = [p.name for p in products]
    assert len(products) >= 63 and len(set(names)) == len(names)
    assert all(len(p.description) > 30 for p in products)
    assert {p.image_path for p in products} == {
        "img/products/electronics.svg", "img/products/general-merchandise.svg", "img/products/consumables.svg"}
