"""Saving zones and methods outside the admin validates exactly as the admin does, and all or nothing."""
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.shipping.models import ShippingMethod, ShippingRateBand, ShippingZone
from apps.shipping.services import shipping_method_save, shipping_zone_save

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def zone():
    return shipping_zone_save(name="United States", countries=["us"])


def test_saving_a_method_again_updates_it_and_replaces_its_bands(zone):
    shipping_method_save(zone=zone, code="parcel", name="Parcel", pricing="weight", transit_min_days=2,
                         transit_max_days=4, bands=[(D(0), D(1000), D("4.50")), (D(1000), None, D("9.00"))])

    method = shipping_method_save(zone=zone, code="parcel", name="Parcel post", pricing="weight", transit_min_days=3,
                                  transit_max_days=6, bands=[(D(0), None, D("7.00"))])

    assert ShippingMethod.objects.get() == method
    assert (method.name, method.transit_min_days, method.transit_max_days) == ("Parcel post", 3, 6)
    assert list(method.bands.values_list("min_value", "max_value", "price")) == [(D(0), None, D("7.00"))]


@pytest.mark.parametrize(("fields", "message"), [
    (dict(pricing="weight", bands=[(D(0), D(1000), D(1)), (D(500), None, D(2))]), "overlap"),
    (dict(pricing="subtotal", bands=[]), "needs at least one rate band"),
    (dict(pricing="flat", price=D("5"), bands=[(D(0), None, D(1))]), "takes no rate bands"),
    (dict(pricing="weight", bands=[(D(0), D("0.5"), D(1))]), "whole grams"),
    (dict(pricing="flat", price=D("5"), transit_min_days=4, transit_max_days=2), "at least the minimum"),
])
def test_an_invalid_method_saves_nothing(zone, fields, message):
    with pytest.raises(ValidationError, match=message):
        shipping_method_save(zone=zone, code="parcel", name="Parcel", **{"transit_min_days": 2,
                                                                          "transit_max_days": 4, **fields})

    assert not ShippingMethod.objects.exists() and not ShippingRateBand.objects.exists()


def test_an_invalid_change_keeps_the_method_as_it_was(zone):
    shipping_method_save(zone=zone, code="parcel", name="Parcel", pricing="weight", transit_min_days=2,
                         transit_max_days=4, bands=[(D(0), None, D("4.50"))])

    with pytest.raises(ValidationError):
        shipping_method_save(zone=zone, code="parcel", name="Changed", pricing="weight", transit_min_days=2,
                             transit_max_days=4, bands=[(D(0), D(10), D(1)), (D(5), None, D(2))])

    method = ShippingMethod.objects.get()
    assert method.name == "Parcel"
    assert list(method.bands.values_list("min_value", "max_value", "price")) == [(D(0), None, D("4.50"))]


def test_zones_are_saved_with_upper_case_codes_and_never_overlap(zone):
    assert (zone.countries, zone.currency) == (["US"], "USD")

    with pytest.raises(ValidationError, match="already in zone"):
        shipping_zone_save(name="Also the US", countries=["CA", "US"])

    assert ShippingZone.objects.count() == 1
