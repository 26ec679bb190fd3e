"""Business-day delivery dates (weekends, the cut-off hour in the shop's time zone, daylight saving time) and
the band rules behind banded prices."""
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from apps.shipping.public import business_days_after
from apps.shipping.rules import Band, band_overlaps, method_price

NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture(autouse=True)
def _new_york_cutoff_at_two(settings):
    settings.SHIPPING_CUTOFF_HOUR = 14
    settings.SHIPPING_TIMEZONE = "America/New_York"


@pytest.mark.parametrize(("placed_at", "days", "expected"), [
    # Monday 7 December 2026, New York (UTC-5 in winter)
    (datetime(2026, 12, 7, 13, 59, 59, tzinfo=NEW_YORK), 0, date(2026, 12, 7)),
    (datetime(2026, 12, 7, 13, 59, 59, tzinfo=NEW_YORK), 3, date(2026, 12, 10)),
    (datetime(2026, 12, 7, 14, 0, tzinfo=NEW_YORK), 0, date(2026, 12, 8)),
    (datetime(2026, 12, 7, 14, 0, tzinfo=NEW_YORK), 3, date(2026, 12, 11)),
    (datetime(2026, 12, 7, 0, 0, tzinfo=NEW_YORK), 1, date(2026, 12, 8)),
    # Friday before the cut-off: transit days skip the weekend
    (datetime(2026, 12, 4, 10, 0, tzinfo=NEW_YORK), 1, date(2026, 12, 7)),
    (datetime(2026, 12, 4, 10, 0, tzinfo=NEW_YORK), 5, date(2026, 12, 11)),
    # Friday after the cut-off, Saturday, Sunday: handed over on Monday
    (datetime(2026, 12, 4, 16, 0, tzinfo=NEW_YORK), 0, date(2026, 12, 7)),
    (datetime(2026, 12, 4, 16, 0, tzinfo=NEW_YORK), 3, date(2026, 12, 10)),
    (datetime(2026, 12, 5, 9, 0, tzinfo=NEW_YORK), 1, date(2026, 12, 8)),
    (datetime(2026, 12, 6, 23, 59, tzinfo=NEW_YORK), 1, date(2026, 12, 8)),
    # ten business days span two weekends
    (datetime(2026, 12, 7, 9, 0, tzinfo=NEW_YORK), 10, date(2026, 12, 21)),
])
def test_business_days_skip_weekends_and_start_after_the_cutoff(placed_at, days, expected):
    assert business_days_after(placed_at=placed_at, days=days) == expected


@pytest.mark.parametrize(("placed_at_utc", "expected"), [
    # 18:30 UTC is 13:30 in New York (before the cut-off) under EST ...
    (datetime(2026, 3, 6, 18, 30, tzinfo=UTC), date(2026, 3, 9)),     # Fri EST → Mon
    (datetime(2026, 11, 2, 18, 30, tzinfo=UTC), date(2026, 11, 3)),    # Mon EST → Tue
    # ... and 14:30 (after it) under EDT, on either side of the March and November switches
    (datetime(2026, 3, 9, 18, 30, tzinfo=UTC), date(2026, 3, 11)),     # Mon EDT → handed over Tue → Wed
    (datetime(2026, 10, 30, 18, 30, tzinfo=UTC), date(2026, 11, 3)),   # Fri EDT → handed over Mon → Tue
    # late Monday evening in New York is already Tuesday in UTC: the local day counts
    (datetime(2026, 12, 8, 1, 0, tzinfo=UTC), date(2026, 12, 9)),      # Mon 20:00 EST → Tue → Wed
    # early Monday in UTC is still Sunday in New York
    (datetime(2026, 12, 7, 4, 0, tzinfo=UTC), date(2026, 12, 8)),      # Sun 23:00 EST → Mon → Tue
])
def test_the_cutoff_is_read_in_the_configured_time_zone_across_daylight_saving(placed_at_utc, expected):
    assert business_days_after(placed_at=placed_at_utc, days=1) == expected


def test_the_same_instant_in_any_offset_gives_the_same_date():
    instant = datetime(2026, 12, 7, 18, 45, tzinfo=UTC)

    dates = {business_days_after(placed_at=instant.astimezone(ZoneInfo(zone)), days=2)
             for zone in ("UTC", "Asia/Tokyo", "America/Los_Angeles", "Europe/Berlin")}

    assert dates == {date(2026, 12, 9)}


def test_cutoff_hour_and_time_zone_come_from_the_settings(settings):
    settings.SHIPPING_TIMEZONE, settings.SHIPPING_CUTOFF_HOUR = "Europe/Berlin", 12
    monday_noon_thirty_in_berlin = datetime(2026, 12, 7, 11, 30, tzinfo=UTC)

    assert business_days_after(placed_at=monday_noon_thirty_in_berlin, days=0) == date(2026, 12, 8)

    settings.SHIPPING_CUTOFF_HOUR = 13
    assert business_days_after(placed_at=monday_noon_thirty_in_berlin, days=0) == date(2026, 12, 7)


def test_a_naive_order_time_is_refused():
    with pytest.raises(ValueError, match="aware datetime"):
        business_days_after(placed_at=datetime(2026, 12, 7, 9, 0), days=1)


def band(low, high, price="1.00") -> Band:
    return Band(Decimal(low), Decimal(high) if high is not None else None, Decimal(price))


@pytest.mark.parametrize(("bands", "overlapping"), [
    ([band(0, 1000), band(1000, 2000), band(2000, None)], False),
    ([band(0, 1000), band(999, 2000)], True),
    ([band(0, None), band(5000, 6000)], True),
    ([band(500, 600), band(0, 1000)], True),
    ([band(0, 10), band(20, 30)], False),  # a gap is allowed: carts in it are not offered the method
])
def test_band_overlaps(bands, overlapping):
    assert bool(band_overlaps(bands)) is overlapping


def test_a_banded_method_does_not_take_a_cart_outside_its_bands_even_above_the_free_threshold():
    price = method_price(pricing="weight", flat_price=None, bands=[band(0, 20000, "9.99")],
                         free_shipping_threshold=Decimal("50"), subtotal=Decimal("500"), weight_grams=25000)

    assert price is None
