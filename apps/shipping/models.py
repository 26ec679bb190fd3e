"""Shipping configuration ops edit in the admin: destination zones, the methods that ship to each zone, and
the rate bands of methods priced by cart weight or subtotal.

Invariants that need only the row live in `clean()` and, where the database can hold them, in constraints
too; a zone's clean also refuses a destination another zone of the same currency already covers (so "the
most specific zone wins" never has to break a tie). A method's bands are checked together (none missing, none
overlapping) by `services.shipping_bands_validate`, which the admin's inline formset and the services call.
"""
from decimal import Decimal

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from .regions import country_code_errors, currency_code_errors, state_code_errors
from .rules import plain

NON_NEGATIVE = [MinValueValidator(Decimal("0"))]


class ShippingZone(models.Model):
    """Where a set of methods ships: whole countries, or (with `states`) only those states of one country."""

    name = models.CharField(max_length=100, unique=True)
    # Columns wider than the codes, so a wrong code (USA) reaches clean() and gets its own message.
    countries = ArrayField(models.CharField(max_length=10), help_text="ISO 3166-1 alpha-2 codes, comma-separated "
                                                                     "(US, CA, GB, …)")
    states = ArrayField(models.CharField(max_length=10), blank=True, default=list,
                        help_text="Optional: only these states of the zone's one country (US state codes such as "
                                  "AK, HI). A zone naming the shopper's state wins over the zone of the whole "
                                  "country, even when none of its methods is active.")
    currency = models.CharField(max_length=3, default="USD", help_text="currency of the methods' prices")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.countries is None:
            return  # the field's own validation failed and says why
        self.countries = sorted({code.strip().upper() for code in self.countries if code.strip()})
        self.states = sorted({code.strip().upper() for code in self.states or [] if code.strip()})
        self.currency = (self.currency or "").strip().upper()
        errors: dict[str, list[str]] = {}
        if not self.countries:
            errors["countries"] = ["List at least one country code (for example US)."]
        else:
            errors["countries"] = country_code_errors(self.countries)
        if self.states:
            if len(self.countries) != 1:
                errors["states"] = ["A zone with states names exactly one country (the states' own)."]
            else:
                errors["states"] = state_code_errors(self.countries[0], self.states)
        errors["currency"] = currency_code_errors(self.currency)
        errors = {field: messages for field, messages in errors.items() if messages}
        if not errors:
            errors = self._overlap_errors()
        if errors:
            raise ValidationError(errors)

    def _overlap_errors(self) -> dict[str, list[str]]:
        """Another zone of this currency already covering one of these destinations, as a form error."""
        others = ShippingZone.objects.filter(currency=self.currency, countries__overlap=self.countries)
        if self.pk:
            others = others.exclude(pk=self.pk)
        for other in others:
            if not self.states and not other.states:
                shared = sorted(set(self.countries) & set(other.countries))
                return {"countries": [f"{', '.join(shared)} already in zone “{other.name}”: a country may be "
                                      "in one whole-country zone per currency (use states for a part of it)."]}
            if self.states and other.states and set(self.states) & set(other.states):
                shared = sorted(set(self.states) & set(other.states))
                return {"states": [f"{', '.join(shared)} already in zone “{other.name}”."]}
        return {}

    @property
    def specificity(self) -> int:
        """A state zone (1) beats a whole-country zone (0)."""
        return 1 if self.states else 0


class ShippingMethod(models.Model):
    """One way to ship to a zone (Standard, Express, …), its price rule and its transit time in business days."""

    class Pricing(models.TextChoices):
        FLAT = "flat", "Flat price"
        WEIGHT = "weight", "By cart weight (bands in grams)"
        SUBTOTAL = "subtotal", "By cart subtotal (bands in the zone's currency)"

    zone = models.ForeignKey(ShippingZone, on_delete=models.CASCADE, related_name="methods")
    code = models.SlugField(max_length=40, help_text="unique within the zone; what the checkout API names "
                                                     "(standard, express, …)")
    name = models.CharField(max_length=100)
    pricing = models.CharField(max_length=10, choices=Pricing.choices, default=Pricing.FLAT)
    price = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True, validators=NON_NEGATIVE,
                                help_text="the price of a flat-priced method (banded methods price by their bands)")
    free_shipping_threshold = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True, validators=NON_NEGATIVE,
        help_text="optional: a cart subtotal from which this method is free (inclusive)")
    transit_min_days = models.PositiveSmallIntegerField(help_text="business days")
    transit_max_days = models.PositiveSmallIntegerField(help_text="business days")
    active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="order among equally priced, equally fast "
                                                                     "methods")

    class Meta:
        ordering = ["zone", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "code"], name="shipping_method_code_unique_per_zone",
                                    violation_error_message="This zone already has a method with this code."),
            models.CheckConstraint(condition=Q(transit_min_days__lte=models.F("transit_max_days")),
                                   name="shipping_method_transit_min_le_max",
                                   violation_error_message="Minimum transit days must not exceed the maximum."),
            models.CheckConstraint(condition=Q(price__gte=0) | Q(price__isnull=True),
                                   name="shipping_method_price_non_negative"),
            models.CheckConstraint(condition=Q(free_shipping_threshold__gte=0)
                                   | Q(free_shipping_threshold__isnull=True),
                                   name="shipping_method_free_threshold_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.zone} · {self.name} ({self.code})"

    def clean(self) -> None:
        errors = {}
        if (self.transit_min_days is not None and self.transit_max_days is not None
                and self.transit_min_days > self.transit_max_days):
            errors["transit_max_days"] = [f"Must be at least the minimum ({self.transit_min_days} business days)."]
        if self.pricing == self.Pricing.FLAT and self.price is None:
            errors["price"] = ["A flat-priced method needs a price (0.00 for free shipping)."]
        if errors:
            raise ValidationError(errors)


class ShippingRateBand(models.Model):
    """The price of a banded method for carts whose weight (grams) or subtotal is in [min_value, max_value);
    an empty maximum means no upper bound. A cart in no band is not offered the method."""

    method = models.ForeignKey(ShippingMethod, on_delete=models.CASCADE, related_name="bands")
    min_value = models.DecimalField("from", max_digits=12, decimal_places=2, default=Decimal("0"),
                                    validators=NON_NEGATIVE, help_text="inclusive: grams, or the cart subtotal")
    max_value = models.DecimalField("up to", max_digits=12, decimal_places=2, null=True, blank=True,
                                    validators=NON_NEGATIVE, help_text="exclusive; empty = no upper limit")
    price = models.DecimalField(max_digits=10, decimal_places=2, validators=NON_NEGATIVE)

    class Meta:
        ordering = ["method", "min_value"]
        constraints = [
            models.CheckConstraint(condition=Q(max_value__isnull=True) | Q(max_value__gt=models.F("min_value")),
                                   name="shipping_band_max_above_min",
                                   violation_error_message="The band's maximum must be above its minimum."),
            models.CheckConstraint(condition=Q(price__gte=0) & Q(min_value__gte=0), name="shipping_band_non_negative"),
        ]

    def __str__(self) -> str:
        upper = plain(self.max_value) if self.max_value is not None else "∞"
        return f"{plain(self.min_value)}–{upper} → {self.price}"

    def clean(self) -> None:
        errors = {}
        if self.max_value is not None and self.min_value is not None and self.max_value <= self.min_value:
            errors["max_value"] = [f"Must be above the minimum ({plain(self.min_value)}), or empty for no upper limit."]
        method = getattr(self, "method", None)
        if method is not None and method.pricing == ShippingMethod.Pricing.WEIGHT:
            for field in ("min_value", "max_value"):
                value = getattr(self, field)
                if value is not None and value != value.to_integral_value():
                    errors.setdefault(field, []).append("Weight bands are in whole grams.")
        if errors:
            raise ValidationError(errors)
