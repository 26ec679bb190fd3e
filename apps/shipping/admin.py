"""Ops admin of the shipping configuration: zones (with their methods listed), methods with their rate bands
inline. Field rules are the models' `clean()`; the bands are checked together by `shipping_bands_validate`."""
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from .models import ShippingMethod, ShippingRateBand, ShippingZone
from .rules import Band
from .services import shipping_bands_validate


class ZoneMethodInline(admin.TabularInline):
    """The zone's methods at a glance; edited on their own page (their bands are inline there)."""

    model = ShippingMethod
    fields = ("code", "name", "pricing", "price", "free_shipping_threshold", "transit_min_days", "transit_max_days",
              "active", "position")
    readonly_fields = fields
    show_change_link = True
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ShippingZone)
class ShippingZoneAdmin(admin.ModelAdmin):
    list_display = ("name", "countries_display", "states_display", "currency", "active_methods")
    search_fields = ("name",)
    inlines = [ZoneMethodInline]

    @admin.display(description="countries")
    def countries_display(self, zone: ShippingZone) -> str:
        return ", ".join(zone.countries)

    @admin.display(description="states")
    def states_display(self, zone: ShippingZone) -> str:
        return ", ".join(zone.states) or "all"

    @admin.display(description="active methods")
    def active_methods(self, zone: ShippingZone) -> str:
        return ", ".join(method.code for method in zone.methods.all() if method.active) or "none"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("methods")


class RateBandFormSet(BaseInlineFormSet):
    """Bands are valid together or not at all: a banded method needs some, a flat one none, and no two overlap."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return  # each band's own errors first; overlaps of half-valid bands would only confuse
        bands = [Band(form.cleaned_data["min_value"], form.cleaned_data.get("max_value"), form.cleaned_data["price"])
                 for form in self.forms
                 if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        try:
            shipping_bands_validate(pricing=self.instance.pricing, bands=bands)
        except ValidationError as error:
            raise ValidationError(error.messages) from error


class RateBandInline(admin.StackedInline):
    """Stacked, not tabular: each band's inputs keep their own labels (a table's column headers are no
    labels to a screen reader)."""

    model = ShippingRateBand
    formset = RateBandFormSet
    fields = ("min_value", "max_value", "price")
    extra = 1


@admin.register(ShippingMethod)
class ShippingMethodAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "zone", "rate", "transit", "active", "position")
    list_filter = ("zone", "active", "pricing")
    search_fields = ("code", "name", "zone__name")
    list_select_related = ("zone",)
    inlines = [RateBandInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("bands")
    fieldsets = (
        (None, {"fields": ("zone", "code", "name", "active", "position")}),
        ("Price", {"fields": ("pricing", "price", "free_shipping_threshold"),
                   "description": "Flat: the price below. By weight or subtotal: the rate bands at the bottom of "
                                  "the page. From the free-shipping threshold on (inclusive) the method is free."}),
        ("Transit (business days, Mon–Fri)", {"fields": ("transit_min_days", "transit_max_days")}),
    )

    @admin.display(description="rate")
    def rate(self, method: ShippingMethod) -> str:
        if method.pricing == ShippingMethod.Pricing.FLAT:
            rate = f"{method.price}" if method.price is not None else "no price"
        else:
            bands = list(method.bands.all())
            rate = f"{len(bands)} {method.pricing} band{'s' if len(bands) != 1 else ''}"
        threshold = method.free_shipping_threshold
        return f"{rate}, free from {threshold}" if threshold is not None else rate

    @admin.display(description="transit")
    def transit(self, method: ShippingMethod) -> str:
        return f"{method.transit_min_days}–{method.transit_max_days} business days"
