"""Products carry a shipping weight (grams) that other apps read through ProductInfo; demo products weigh
something plausible."""
from io import StringIO

import pytest

from apps.catalog.demo import seed
from apps.catalog.models import Product
from apps.catalog.public import product_info, product_info_many
from apps.catalog.testing import ProductFactory

pytestmark = pytest.mark.django_db


def test_product_info_carries_the_weight():
    product = ProductFactory(weight_grams=1250)

    assert product_info(product_id=product.id).weight_grams == 1250
    assert product_info_many(product_ids=[product.id])[product.id].weight_grams == 1250


def test_a_product_without_a_weight_weighs_nothing():
    assert product_info(product_id=ProductFactory().id).weight_grams == 0


def test_every_demo_product_has_a_plausible_weight():
    seed(StringIO())

    weights = dict(Product.objects.values_list("id", "weight_grams"))

    assert all(50 <= grams <= 20000 for grams in weights.values()), weights
    assert weights["prod_monitor_32in"] > weights["prod_headphones_nc"] > weights["prod_cable_usbc"]
