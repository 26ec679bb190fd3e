"""The shipping rules as pure functions, so selectors, the admin's validation and tests compute the same thing:
business-day delivery dates (with the cut-off hour, in the shop's time zone), band lookup and overlap, and a
method's price for a cart.

Business days are Monday to Friday. An order placed on a business day before `SHIPPING_CUTOFF_HOUR` (local
time in `SHIPPING_TIMEZONE`) is handed over that day; one placed at or after the cut-off, or on a weekend, the
next business day. Transit days are counted in business days from that hand-over day.
"""
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings

from apps.core.money import to_money

SATURDAY = 5


def is_business_day(day: date) -> bool:
    return day.weekday() < SATURDAY


def next_business_day(day: date) -> date:
    day += timedelta(days=1)
    while not is_business_day(day):
        day += timedelta(days=1)
    return day


def handover_day(placed_at: datetime, *, cutoff_hour: int, timezone: str) -> date:
    """The business day an order placed at `placed_at` leaves the warehouse (the count's day 0)."""
    if placed_at.tzinfo is None or placed_at.utcoffset() is None:
        raise ValueError("placed_at must be an aware datetime (django.utils.timezone.now(), not datetime.now()).")
    local = placed_at.astimezone(ZoneInfo(timezone))  # DST-safe: the offset of that instant, not of today
    day = local.date()
    if is_business_day(day) and local.hour < cutoff_hour:
        return day
    return next_business_day(day)


def business_days_after(*, placed_at: datetime, days: int) -> date:
    """The date `days` business days after the hand-over day of an order placed at `placed_at`."""
    if days < 0:
        raise ValueError("days must be zero or more.")
    day = handover_day(placed_at, cutoff_hour=settings.SHIPPING_CUTOFF_HOUR, timezone=settings.SHIPPING_TIMEZONE)
    for _ in range(days):
        day = next_business_day(day)
    return day


@dataclass(frozen=True)
class Band:
    """[min_value, max_value) → price; max_value None = no upper bound."""

    min_value: Decimal
    max_value: Decimal | None
    price: Decimal

    def contains(self, value: Decimal) -> bool:
        return self.min_value <= value and (self.max_value is None or value < self.max_value)

    def __str__(self) -> str:
        return f"{plain(self.min_value)}–{plain(self.max_value) if self.max_value is not None else '∞'}"


def plain(value: Decimal) -> str:
    """A band limit as ops typed it: 1000 for grams, 49.5 for money (no exponent, no trailing zeros)."""
    return format(value.normalize(), "f")


def band_for(bands: Iterable[Band], value: Decimal) -> Band | None:
    return next((band for band in bands if band.contains(value)), None)


def band_overlaps(bands: Sequence[Band]) -> list[tuple[Band, Band]]:
    """Every pair of bands that share a value (half-open ranges: [0, 1000) and [1000, 2000) do not)."""
    ordered = sorted(bands, key=lambda band: band.min_value)
    overlaps = []
    for index, band in enumerate(ordered):
        for later in ordered[index + 1:]:
            if band.max_value is None or later.min_value < band.max_value:
                overlaps.append((band, later))
    return overlaps


def method_price(*, pricing: str, flat_price: Decimal | None, bands: Sequence[Band],
                 free_shipping_threshold: Decimal | None, subtotal: Decimal, weight_grams: int) -> Decimal | None:
    """What the shopper pays for the method, to the cent; None when the method does not take this cart (a
    banded method whose bands leave the cart's weight or subtotal out). Free from the threshold on, inclusive."""
    if pricing == "flat":
        price = flat_price
    else:
        band = band_for(bands, Decimal(weight_grams) if pricing == "weight" else subtotal)
        price = band.price if band else None
    if price is None:
        return None
    if free_shipping_threshold is not None and subtotal >= free_shipping_threshold:
        return to_money(0)
    return to_money(price)
