"""Reads of the shipping app: which zone reaches a destination and what its methods cost for a cart, with
their delivery windows. One query per call whatever the configuration (the zones that may reach the
destination, each with its active methods and their bands nested as JSON), so a checkout quote adds a
constant number of queries."""
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import CharField, OuterRef, QuerySet
from django.db.models.functions import Cast, JSONObject

from apps.core.compiled_queries import CompiledQuery
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


@dataclass(frozen=True)
class MethodRule:
    """An active method of a zone as the quote needs it (prices and bands as Decimals)."""

    code: str
    name: str
    pricing: str
    price: Decimal | None
    free_shipping_threshold: Decimal | None
    transit_min_days: int
    transit_max_days: int
    position: int
    bands: tuple[Band, ...]


@dataclass(frozen=True)
class ZoneRules:
    name: str
    states: tuple[str, ...]
    methods: tuple[MethodRule, ...]  # active ones, in the ops' order

    @property
    def specificity(self) -> int:
        """A state zone (1) beats a whole-country zone (0)."""
        return 1 if self.states else 0


def _text(field: str) -> Cast:
    return Cast(field, CharField())  # decimals travel as text in JSON: exact, never a float


def _decimal(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


def _zones_with_rules(country: str, currency: str) -> QuerySet:
    """The zones of `currency` covering `country`, each with its active methods and their bands."""
    bands = ShippingRateBand.objects.filter(method=OuterRef("pk")).order_by("min_value").values(band=JSONObject(
        min_value=_text("min_value"), max_value=_text("max_value"), price=_text("price")))
    methods = ShippingMethod.objects.filter(zone=OuterRef("pk"), active=True).order_by("position", "code").values(
        method=JSONObject(code="code", name="name", pricing="pricing", price=_text("price"),
                          free_shipping_threshold=_text("free_shipping_threshold"),
                          transit_min_days="transit_min_days", transit_max_days="transit_max_days",
                          position="position", bands=ArraySubquery(bands)))
    return (ShippingZone.objects.filter(countries__contains=[country], currency=currency)
            .annotate(method_rows=ArraySubquery(methods)).order_by("id").values_list("name", "states", "method_rows"))


# Every checkout quote runs it: compiled once (see apps.core.compiled_queries).
_ZONES = CompiledQuery(_zones_with_rules, country="\x00country", currency="\x00currency")


def zone_for_destination(*, destination: Destination, currency: str) -> ZoneRules | None:
    """The most specific zone of `currency` that reaches the destination (a zone naming its state beats the
    zone of the whole country), with its active methods and their bands; None when none does. One query."""
    country, state = destination.country.strip().upper(), destination.state.strip().upper()
    if not country:
        return None
    zones = _ZONES.rows(country=country, currency=currency.strip().upper())
    reaching = [_zone_rules(name, states, rows) for name, states, rows in zones if not states or state in states]
    return max(reaching, key=lambda zone: zone.specificity, default=None)


def _zone_rules(name: str, states: list[str], method_rows: list[dict]) -> ZoneRules:
    return ZoneRules(name=name, states=tuple(states), methods=tuple(MethodRule(
        code=row["code"], name=row["name"], pricing=row["pricing"], price=_decimal(row["price"]),
        free_shipping_threshold=_decimal(row["free_shipping_threshold"]), transit_min_days=row["transit_min_days"],
        transit_max_days=row["transit_max_days"], position=row["position"],
        bands=tuple(Band(min_value=Decimal(band["min_value"]), max_value=_decimal(band["max_value"]),
                         price=Decimal(band["price"])) for band in row["bands"]),
    ) for row in method_rows))


def _option(method: MethodRule, *, currency: str, subtotal: Decimal, weight_grams: int,
            placed_at: datetime) -> ShippingOption | None:
    price = method_price(pricing=method.pricing, flat_price=method.price, bands=method.bands,
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
    for method in zone.methods:
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
