"""Writes of the shipping app outside the admin (demo data, tests, scripts): zones and methods saved by their
natural keys, validated exactly as the admin validates them (`full_clean`, band overlaps)."""
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import ShippingMethod, ShippingRateBand, ShippingZone
from .rules import Band, band_overlaps


@transaction.atomic
def shipping_zone_save(*, name: str, countries: list[str], states: list[str] | None = None,
                       currency: str = "USD") -> ShippingZone:
    """Create or update the zone called `name`."""
    zone = ShippingZone.objects.filter(name=name).first() or ShippingZone(name=name)
    zone.countries, zone.states, zone.currency = list(countries), list(states or []), currency
    zone.full_clean()
    zone.save()
    return zone


@transaction.atomic
def shipping_method_save(*, zone: ShippingZone, code: str, name: str, transit_min_days: int, transit_max_days: int,
                         pricing: str = ShippingMethod.Pricing.FLAT, price: Decimal | None = None,
                         free_shipping_threshold: Decimal | None = None, active: bool = True, position: int = 0,
                         bands: list[tuple[Decimal, Decimal | None, Decimal]] | None = None) -> ShippingMethod:
    """Create or update the zone's method `code`; `bands` ((min, max or None, price), …) replace its bands."""
    method = ShippingMethod.objects.filter(zone=zone, code=code).first() or ShippingMethod(zone=zone, code=code)
    for field, value in dict(name=name, pricing=pricing, price=price, free_shipping_threshold=free_shipping_threshold,
                             transit_min_days=transit_min_days, transit_max_days=transit_max_days, active=active,
                             position=position).items():
        setattr(method, field, value)
    method.full_clean()
    method.save()
    new_bands = [ShippingRateBand(method=method, min_value=low, max_value=high, price=band_price)
                 for low, high, band_price in bands or []]
    for band in new_bands:
        band.full_clean(exclude=["method"])
    shipping_bands_validate(pricing=method.pricing, bands=[Band(b.min_value, b.max_value, b.price) for b in new_bands])
    method.bands.all().delete()
    ShippingRateBand.objects.bulk_create(new_bands)
    return method


def shipping_bands_validate(*, pricing: str, bands: list[Band]) -> None:
    """A banded method needs bands that do not overlap; a flat one takes none."""
    if pricing == ShippingMethod.Pricing.FLAT:
        if bands:
            raise ValidationError("A flat-priced method takes no rate bands: remove them or price by weight or "
                                  "subtotal.")
        return
    if not bands:
        raise ValidationError(f"A method priced by {pricing} needs at least one rate band.")
    overlaps = band_overlaps(bands)
    if overlaps:
        raise ValidationError([f"Bands {first} and {second} overlap: each {pricing} must fall "
                               "in one band at most (a band's maximum is exclusive, so 0–1000 and 1000–2000 do not "
                               "overlap)." for first, second in overlaps])

