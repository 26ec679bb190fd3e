"""Reads of the shipping app: which zone reaches a destination and what its methods cost for a cart, with
their delivery windows. Three queries per call whatever the configuration (zones, their active methods, the
methods' bands), so a checkout quote adds a constant number of queries."""
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Prefetch

from apps.core.money import to_money

from .models import ShippingMethod, ShippingRateBand, ShippingZone
from .rules import Band, business_days_after, method_price


@dataclass(frozen=True)
class Destination:
    """Where the parcel goes: an ISO 3166-1 alpha-2 country, and the US state (or region) code if any."""

    country: str
    state: str = ""
    zip: str = ""


@dataclass(frozen=True)
class ShippingOption:
    """One method a shopper may choose, priced for their cart, with its delivery window (business days)."""

    code: str
    name: str
    price: Decimal
    currency: str
    transit_min_days: int
    transit_max_days: int
    earliest_delivery: date
    latest_delivery: date
    free_shipping_threshold: Decimal | None


def zone_for_destination(*, destination: Destination, currency: str) -> ShippingZone | None:
    """The most specific zone of `currency` that reaches the destination (a zone naming its state beats the
    zone of the whole country), with its active methods and their bands prefetched; None when none does."""
    country, state = destination.country.strip().upper(), destination.state.strip().upper()
    if not country:
        return None
    active_methods = ShippingMethod.objects.filter(active=True).prefetch_related(
        Prefetch("bands", queryset=ShippingRateBand.objects.order_by("min_value")))
    zones = (ShippingZone.objects.filter(countries__contains=[country], currency=currency.strip().upper())
             .prefetch_related(Prefetch("methods", queryset=active_methods)).order_by("id"))
    reaching = [zone for zone in zones if not zone.states or state in zone.states]
    return max(reaching, key=lambda zone: zone.specificity, default=None)


def _option(method: ShippingMethod, *, currency: str, subtotal: Decimal, weight_grams: int,
            placed_at: datetime) -> ShippingOption | None:
    bands = [Band(min_value=band.min_value, max_value=band.max_value, price=band.price) for band in method.bands.all()]
    price = method_price(pricing=method.pricing, flat_price=method.price, bands=bands,
                         free_shipping_threshold=method.free_shipping_threshold, subtotal=subtotal,
                         weight_grams=weight_grams)
    if price is None:
        return None
    threshold = method.free_shipping_threshold
    return ShippingOption(
        code=method.code, name=method.name, price=price, currency=currency,
        transit_min_days=method.transit_min_days, transit_max_days=method.transit_max_days,
        earliest_delivery=business_days_after(placed_at=placed_at, days=method.transit_min_days),
        latest_delivery=business_days_after(placed_at=placed_at, days=method.transit_max_days),
        free_shipping_threshold=to_money(threshold) if threshold is not None else None)


def shipping_options(*, destination: Destination, subtotal: Decimal, weight_grams: int, currency: str,
                     placed_at: datetime) -> list[ShippingOption]:
    """Every active method of the zone that reaches the destination and takes this cart, cheapest first, then
    fastest (latest delivery, then earliest), then the ops' position. [] when nothing ships there."""
    if subtotal < 0 or weight_grams < 0:
        raise ValueError("subtotal and weight_grams must not be negative.")
    currency = currency.strip().upper()
    zone = zone_for_destination(destination=destination, currency=currency)
    if zone is None:
        return []
    priced = []
    for method in zone.methods.all():
        option = _option(method, currency=currency, subtotal=Decimal(subtotal), weight_grams=weight_grams,
                         placed_at=placed_at)
        if option is not None:
            priced.append((option.price, option.transit_max_days, option.transit_min_days, method.position,
                           method.code, option))
    return [entry[-1] for entry in sorted(priced, key=lambda entry: entry[:-1])]


def shipping_option(*, code: str, destination: Destination, subtotal: Decimal, weight_grams: int, currency: str,
                    placed_at: datetime) -> ShippingOption | None:
    """The option with this code among `shipping_options(...)`, or None."""
    options = shipping_options(destination=destination, subtotal=subtotal, weight_grams=weight_grams,
                               currency=currency, placed_at=placed_at)
    return next((option for option in options if option.code == code), None)
