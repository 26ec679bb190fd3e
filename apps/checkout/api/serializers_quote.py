"""Shapes of the checkout's amounts on the wire: shipping options, delivery windows and the quote."""
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.money import MoneyField
from apps.core.schema_constraints import schema_hint

from ..addresses import COUNTRY_INPUT_PATTERN, COUNTRY_RE, us_address_errors


class DeliveryWindowSerializer(serializers.Serializer):
    earliest = serializers.DateField(help_text="First business day the parcel may arrive")
    latest = serializers.DateField(help_text="Last business day of the window (`estimated_delivery` of the order)")


class ShippingOptionSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="What to send as `shipping_method`")
    name = serializers.CharField()
    price = MoneyField(help_text="What the shopper pays for shipping (0.00 over the free-shipping threshold)")
    currency = serializers.CharField()
    transit_min_days = serializers.IntegerField(help_text="Business days")
    transit_max_days = serializers.IntegerField(help_text="Business days")
    earliest_delivery = serializers.DateField()
    latest_delivery = serializers.DateField()
    free_shipping_threshold = MoneyField(allow_null=True, help_text="Subtotal from which it is free, if any")


class QuoteLineSerializer(serializers.Serializer):
    product_id = serializers.CharField()
    tax_amount = MoneyField(source="tax")
    tax_rate = serializers.DecimalField(source="rate", max_digits=7, decimal_places=4, coerce_to_string=False,
                                        min_value=0, max_value=1, help_text="A fraction: 0.0725 is 7.25 %")


class CheckoutQuoteSerializer(serializers.Serializer):
    """A `CheckoutQuote`: total_charged = subtotal + shipping_total + tax_total, to the cent."""

    shipping_method = serializers.CharField(source="option.code")
    shipping_method_name = serializers.CharField(source="option.name")
    subtotal = MoneyField(help_text="The items; net of VAT where prices include it")
    shipping_total = MoneyField(help_text="The shipping; net of VAT where prices include it")
    tax_total = MoneyField(help_text="Sales tax on top, or the VAT the prices include")
    total_charged = MoneyField(help_text="What the card is charged")
    currency = serializers.CharField()
    prices_include_tax = serializers.BooleanField(help_text="True where the listed prices include VAT")
    items_total = MoneyField(help_text="The items at their listed prices (VAT included where prices include it)")
    shipping_price = MoneyField(source="option.price", help_text="The shipping at its listed price")
    delivery_window = serializers.SerializerMethodField()
    lines = QuoteLineSerializer(many=True, help_text="Each cart line's tax, in the cart's order")

    @extend_schema_field(DeliveryWindowSerializer)
    def get_delivery_window(self, quote) -> dict:
        return DeliveryWindowSerializer({"earliest": quote.earliest_delivery, "latest": quote.latest_delivery}).data


class ShippingOptionsQuerySerializer(serializers.Serializer):
    cart_id = serializers.CharField(max_length=64)
    country = serializers.CharField(max_length=2, min_length=2, help_text="ISO 3166-1 alpha-2, e.g. US",
                                    style=schema_hint(pattern=COUNTRY_INPUT_PATTERN))
    state = serializers.CharField(max_length=50, required=False, allow_blank=True, default="",
                                  help_text="USPS code in the US (required there); a region elsewhere")
    zip = serializers.CharField(max_length=20, required=False, allow_blank=True, default="",
                                help_text="Required in the US (5 digits or ZIP+4)")
    shipping_method = serializers.CharField(max_length=50, required=False, allow_blank=True, default="",
                                            help_text="The method to quote; default: the cheapest")

    def validate_country(self, value: str) -> str:
        if not COUNTRY_RE.match(value.upper()):
            raise serializers.ValidationError("Country must be a two-letter ISO code", code="invalid")
        return value.upper()

    def validate(self, attrs: dict) -> dict:
        if attrs["country"] == "US":
            errors = us_address_errors(state=attrs["state"], zip_code=attrs["zip"])
            if errors:
                raise serializers.ValidationError(
                    {name: [serializers.ErrorDetail(message, code="invalid")] for name, message in errors.items()})
            attrs["state"] = attrs["state"].upper()
        return attrs


class ShippingOptionsOutputSerializer(serializers.Serializer):
    cart_id = serializers.CharField()
    currency = serializers.CharField()
    options = ShippingOptionSerializer(many=True, help_text="Cheapest first")
    quote = CheckoutQuoteSerializer(help_text="The cart's amounts by `shipping_method` (default: the cheapest)")
