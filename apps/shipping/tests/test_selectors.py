"""Shipping options for a destination and a cart: zone matching (the most specific zone wins), free-shipping
thresholds, weight and subtotal bands, ordering, delivery windows, and a constant number of queries."""
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from apps.shipping.public import Destination, business_days_after, shipping_option, shipping_options
from apps.shipping.testing import ShippingMethodFactory, ShippingRateBandFactory, ShippingZoneFactory

pytestmark = pytest.mark.django_db

MONDAY_MORNING = datetime(2026, 12, 7, 14, 0, tzinfo=UTC)  # 09:00 in New York, before the default cut-off


def options(country="US", state="", *, subtotal="20.00", weight_grams=500, currency="USD"):
    return shipping_options(destination=Destination(country=country, state=state), subtotal=Decimal(subtotal),
                            weight_grams=weight_grams, currency=currency, placed_at=MONDAY_MORNING)


def codes(country="US", state="", **cart) -> list[str]:
    return [option.code for option in options(country, state, **cart)]


@pytest.fixture
def us_and_alaska():
    us = ShippingZoneFactory(name="United States", countries=["US"])
    ShippingMethodFactory(zone=us, code="standard", price=Decimal("5.99"))
    ShippingMethodFactory(zone=us, code="express", price=Decimal("14.99"), transit_min_days=1, transit_max_days=2)
    alaska = ShippingZoneFactory(name="Alaska", countries=["US"], states=["AK", "HI"])
    ShippingMethodFactory(zone=alaska, code="remote", price=Decimal("24.00"), transit_min_days=5, transit_max_days=9)
    return us, alaska


@pytest.mark.parametrize(("country", "state", "expected"), [
    ("US", "NY", ["standard", "express"]),
    ("US", "", ["standard", "express"]),
    ("US", "AK", ["remote"]),
    ("us", "hi", ["remote"]),           # codes are matched whatever their case
    (" US ", " ak ", ["remote"]),
    ("BR", "", []),                     # a country no zone lists
    ("XX", "", []),                     # no country at all
    ("", "", []),
])
def test_the_most_specific_zone_reaching_the_destination_wins(us_and_alaska, country, state, expected):
    assert codes(country, state) == expected


def test_a_state_zone_without_active_methods_ships_nothing_there(us_and_alaska):
    _, alaska = us_and_alaska
    alaska.methods.update(active=False)

    assert codes("US", "AK") == []
    assert codes("US", "NY") == ["standard", "express"]


def test_inactive_methods_are_not_offered(us_and_alaska):
    us, _ = us_and_alaska
    us.methods.filter(code="express").update(active=False)

    assert codes("US", "NY") == ["standard"]


def test_only_zones_priced_in_the_cart_currency_ship(us_and_alaska):
    assert codes("US", "NY", currency="EUR") == []
    assert codes("US", "NY", currency="usd") == ["standard", "express"]


def test_a_zone_lists_many_countries():
    zone = ShippingZoneFactory(name="International", countries=["CA", "DE", "GB"])
    ShippingMethodFactory(zone=zone, code="international", price=Decimal("24.99"))

    assert [codes(country) for country in ("CA", "DE", "GB", "FR")] == [["international"]] * 3 + [[]]


@pytest.mark.parametrize(("subtotal", "price"), [
    ("0.00", "5.99"),
    ("49.99", "5.99"),
    ("50.00", "0.00"),     # exactly at the threshold: free
    ("50.01", "0.00"),
    ("1000.00", "0.00"),
])
def test_free_shipping_from_the_threshold_on(subtotal, price):
    ShippingMethodFactory(code="standard", price=Decimal("5.99"), free_shipping_threshold=Decimal("50.00"))

    [option] = options(subtotal=subtotal)

    assert option.price == Decimal(price)
    assert option.price.as_tuple().exponent == -2  # quantized to cents
    assert option.free_shipping_threshold == Decimal("50.00")


def test_an_option_without_threshold_says_so():
    ShippingMethodFactory(code="express", price=Decimal("14.9"))

    [option] = options(subtotal="500.00")

    assert (option.price, option.free_shipping_threshold, option.currency) == (Decimal("14.90"), None, "USD")


@pytest.fixture
def weight_banded():
    method = ShippingMethodFactory(code="parcel", pricing="weight", price=None)
    for low, high, price in [(0, 1000, "4.50"), (1000, 5000, "9.00"), (5000, 20000, "19.00")]:
        ShippingRateBandFactory(method=method, min_value=Decimal(low), max_value=Decimal(high), price=Decimal(price))
    return method


@pytest.mark.parametrize(("weight_grams", "price"), [
    (0, "4.50"), (999, "4.50"), (1000, "9.00"), (4999, "9.00"), (5000, "19.00"), (19999, "19.00"),
])
def test_weight_bands_include_their_minimum_and_exclude_their_maximum(weight_banded, weight_grams, price):
    [option] = options(weight_grams=weight_grams)

    assert option.price == Decimal(price)


def test_a_cart_heavier_than_every_band_is_not_offered_the_method(weight_banded):
    assert codes(weight_grams=20000) == []


def test_an_open_ended_band_takes_any_heavier_cart():
    method = ShippingMethodFactory(code="freight", pricing="weight", price=None)
    ShippingRateBandFactory(method=method, min_value=Decimal("0"), max_value=None, price=Decimal("30"))

    assert [option.price for option in options(weight_grams=10**7)] == [Decimal("30.00")]


@pytest.mark.parametrize(("subtotal", "price"), [
    ("0.00", "8.00"), ("24.99", "8.00"), ("25.00", "4.00"), ("99.99", "4.00"), ("100.00", None),
])
def test_subtotal_bands(subtotal, price):
    method = ShippingMethodFactory(code="by-value", pricing="subtotal", price=None)
    ShippingRateBandFactory(method=method, min_value=Decimal("0"), max_value=Decimal("25"), price=Decimal("8"))
    ShippingRateBandFactory(method=method, min_value=Decimal("25"), max_value=Decimal("100"), price=Decimal("4"))

    assert [option.price for option in options(subtotal=subtotal)] == ([Decimal(price)] if price else [])


def test_a_free_shipping_threshold_applies_to_banded_methods_too(weight_banded):
    weight_banded.free_shipping_threshold = Decimal("75.00")
    weight_banded.save()

    assert [option.price for option in options(subtotal="75.00", weight_grams=3000)] == [Decimal("0.00")]


def test_cheapest_first_then_fastest_then_position():
    zone = ShippingZoneFactory(countries=["US"])
    ShippingMethodFactory(zone=zone, code="pricey", price=Decimal("10.00"), transit_min_days=1, transit_max_days=1)
    ShippingMethodFactory(zone=zone, code="slow", price=Decimal("5.00"), transit_min_days=5, transit_max_days=8)
    ShippingMethodFactory(zone=zone, code="quick", price=Decimal("5.00"), transit_min_days=2, transit_max_days=3)
    ShippingMethodFactory(zone=zone, code="quick-b", price=Decimal("5.00"), transit_min_days=2, transit_max_days=3,
                          position=2)
    ShippingMethodFactory(zone=zone, code="quick-a", price=Decimal("5.00"), transit_min_days=2, transit_max_days=3,
                          position=1)

    assert codes() == ["quick", "quick-a", "quick-b", "slow", "pricey"]


def test_free_shipping_makes_a_method_the_cheapest():
    zone = ShippingZoneFactory(countries=["US"])
    ShippingMethodFactory(zone=zone, code="economy", price=Decimal("3.00"), transit_min_days=6, transit_max_days=9)
    ShippingMethodFactory(zone=zone, code="standard", price=Decimal("5.99"), free_shipping_threshold=Decimal("50"))

    assert codes(subtotal="49.99") == ["economy", "standard"]
    assert codes(subtotal="50.00") == ["standard", "economy"]


def test_each_option_carries_its_delivery_window_in_business_days():
    ShippingMethodFactory(code="standard", name="Standard", transit_min_days=3, transit_max_days=5)
    friday_evening = datetime(2026, 12, 4, 23, 0, tzinfo=UTC)  # 18:00 in New York: handed over on Monday

    [option] = shipping_options(destination=Destination("US", "NY", "10001"), subtotal=Decimal("20"),
                                weight_grams=100, currency="USD", placed_at=friday_evening)

    assert (option.name, option.transit_min_days, option.transit_max_days) == ("Standard", 3, 5)
    assert option.earliest_delivery == business_days_after(placed_at=friday_evening, days=3)
    assert option.latest_delivery == business_days_after(placed_at=friday_evening, days=5)
    assert (option.earliest_delivery.isoformat(), option.latest_delivery.isoformat()) == ("2026-12-10", "2026-12-14")


def test_one_option_by_its_code(us_and_alaska):
    destination = Destination("US", "NY")
    cart = dict(destination=destination, subtotal=Decimal("20"), weight_grams=100, currency="USD",
                placed_at=MONDAY_MORNING)

    assert shipping_option(code="express", **cart).price == Decimal("14.99")
    assert shipping_option(code="remote", **cart) is None  # Alaska's method does not ship to New York
    assert shipping_option(code="nope", **cart) is None


@pytest.mark.parametrize("cart", [dict(subtotal="-0.01"), dict(weight_grams=-1)])
def test_a_negative_cart_is_a_programming_error(us_and_alaska, cart):
    with pytest.raises(ValueError, match="must not be negative"):
        options(**cart)


def test_the_query_count_does_not_grow_with_the_configuration(django_assert_num_queries, us_and_alaska):
    for index in range(8):
        zone = ShippingZoneFactory(name=f"Elsewhere {index}", countries=[["CA", "MX", "GB", "DE"][index % 4]],
                                   currency=["USD", "EUR"][index // 4])
        for number in range(3):
            method = ShippingMethodFactory(zone=zone, code=f"m{number}", pricing="weight", price=None)
            ShippingRateBandFactory(method=method, max_value=Decimal("1000"))
    us, _ = us_and_alaska
    for number in range(6):
        method = ShippingMethodFactory(zone=us, code=f"banded-{number}", pricing="subtotal", price=None)
        ShippingRateBandFactory(method=method, price=Decimal(number))

    with django_assert_num_queries(1):
        assert len(options("US", "NY")) == 8
    with django_assert_num_queries(1):
        assert len(options("CA")) == 3
