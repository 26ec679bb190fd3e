"""The demo shop's shipping rates: what the issue promises, and loading them twice changes nothing."""
from datetime import UTC, datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps

from apps.shipping.models import ShippingMethod, ShippingRateBand, ShippingZone
from apps.shipping.public import Destination, shipping_options

pytestmark = pytest.mark.django_db


def quote(destination: Destination, subtotal: str, weight_grams: int = 1000) -> dict[str, tuple]:
    options = shipping_options(destination=destination, subtotal=Decimal(subtotal), weight_grams=weight_grams,
                               currency="USD", placed_at=datetime(2026, 12, 7, 14, 0, tzinfo=UTC))
    return {option.code: (option.price, option.transit_min_days, option.transit_max_days) for option in options}


def test_demo_us_rates(shipping_rates):
    assert quote(Destination("US", "NY"), "49.99") == {"standard": (Decimal("5.99"), 3, 5),
                                                       "express": (Decimal("14.99"), 1, 2)}
    assert quote(Destination("US", "CA"), "50.00")["standard"] == (Decimal("0.00"), 3, 5)


def test_demo_international_and_remote_us_rates(shipping_rates):
    assert list(quote(Destination("DE"), "20.00")) == ["international"]
    assert list(quote(Destination("CA", "ON"), "20.00")) == ["international"]
    assert quote(Destination("US", "HI"), "20.00", weight_grams=500) != quote(
        Destination("US", "HI"), "20.00", weight_grams=12000)
    assert "express" not in quote(Destination("US", "AK"), "20.00")


def test_seeding_twice_changes_nothing(shipping_rates):
    def snapshot():
        return (list(ShippingZone.objects.order_by("name").values_list("name", "countries", "states", "currency")),
                list(ShippingMethod.objects.order_by("zone__name", "code").values_list(
                    "zone__name", "code", "name", "pricing", "price", "free_shipping_threshold",
                    "transit_min_days", "transit_max_days", "active", "position")),
                list(ShippingRateBand.objects.order_by("method__zone__name", "min_value").values_list(
                    "method__code", "min_value", "max_value", "price")))

    before = snapshot()

    apps.get_app_config("shipping").seed_demo(StringIO())

    assert snapshot() == before
    assert len(before[0]) >= 3 and len(before[1]) >= 4
