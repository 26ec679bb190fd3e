"""Input and output shapes of the checkout API (rules live in services and `addresses`)."""
import datetime

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.money import MoneyField, to_money
from apps.core.schema_constraints import schema_hint
from apps.core.serializers import BlankAsNullField, EpochUtcField
from apps.payments.public import PAYMENT_METHOD_TYPES

from ..addresses import COUNTRY_INPUT_PATTERN, COUNTRY_RE, us_address_errors, us_address_schema_rules
from ..sessions import GuestSession, iso_utc
from .serializers_quote import CheckoutQuoteSerializer, DeliveryWindowSerializer


class CartItemInputSerializer(serializers.Serializer):
    product_id = serializers.CharField(max_length=64)
    quantity = serializers.IntegerField(min_value=1, max_value=999)


class CartLineSerializer(serializers.Serializer):
    product_id = serializers.CharField()
    sku = serializers.CharField()
    name = serializers.CharField()
    quantity = serializers.IntegerField()
    unit_price = MoneyField()
    line_total = MoneyField()


class CartOutputSerializer(serializers.Serializer):
    cart_id = serializers.CharField()
    status = serializers.CharField()
    items = CartLineSerializer(many=True, source="lines")
    subtotal = MoneyField()
    currency = serializers.CharField()
    version = serializers.IntegerField()
    expires_at = serializers.DateTimeField()


def required(label: str) -> dict:
    """Error messages that name the field ("City is required"): the checkout page's error summary
    lists them as they come, so DRF's generic "This field may not be blank." must never reach it."""
    message = f"{label} is required"
    return {"error_messages": {"required": message, "blank": message, "null": message}}


class GuestShippingAddressSerializer(serializers.Serializer):
    openapi_extra = {"oneOf": us_address_schema_rules()}

    line1 = serializers.CharField(max_length=200, **required("Street address"))
    line2 = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    city = serializers.CharField(max_length=100, **required("City"))
    state = serializers.CharField(max_length=50, required=False, allow_blank=True, default="",
                                  help_text="Required in the US (a USPS code); optional elsewhere (a region)")
    zip = serializers.CharField(max_length=20, **required("ZIP code"))
    country = serializers.CharField(max_length=2, min_length=2, style=schema_hint(pattern=COUNTRY_INPUT_PATTERN),
                                    **required("Country"))

    def validate_country(self, value: str) -> str:
        if not COUNTRY_RE.match(value.upper()):
            raise serializers.ValidationError("Country must be a two-letter ISO code", code="invalid")
        return value.upper()

    def validate(self, attrs: dict) -> dict:
        if attrs["country"] == "US":
            if not attrs["state"]:
                raise serializers.ValidationError({"state": [serializers.ErrorDetail("State is required",
                                                                                     code="required")]})
            errors = us_address_errors(state=attrs["state"], zip_code=attrs["zip"])
            if errors:
                raise serializers.ValidationError(
                    {name: [serializers.ErrorDetail(message, code="invalid")] for name, message in errors.items()})
            attrs["state"] = attrs["state"].upper()
        return attrs


def shipping_address_field(**kwargs) -> GuestShippingAddressSerializer:
    message = "Shipping address is required"
    return GuestShippingAddressSerializer(error_messages={"required": message, "null": message}, **kwargs)


class GuestCheckoutInputSerializer(serializers.Serializer):
    cart_id = serializers.CharField(max_length=64, error_messages={"required": "Cart id is required"})
    email = serializers.EmailField(max_length=254, error_messages={
        "required": "Email address is required", "blank": "Email address is required",
        "invalid": "Email address is not valid"})
    shipping_address = shipping_address_field()
    payment_method_id = serializers.CharField(max_length=100, required=False)
    payment_method_type = serializers.ChoiceField(
        choices=PAYMENT_METHOD_TYPES, default="card",
        help_text="What produced payment_method_id: a card form or the Apple Pay sheet (needs the apple_pay flag).")
    session_id = serializers.CharField(max_length=100, required=False)
    shipping_method = serializers.CharField(
        max_length=50, required=False, help_text="A code from GET /api/v2/checkout/guest/shipping-options; "
                                                 "default: the session's choice, else the cheapest that ships there")


class OrderAmountsSerializer(serializers.Serializer):
    """The order's amounts: total_charged = subtotal + shipping_total + tax_total, to the cent (where prices
    include VAT, subtotal and shipping_total are net and tax_total is the VAT)."""

    subtotal = MoneyField(source="order.subtotal", help_text="The items (net of VAT where prices include it)")
    shipping_total = MoneyField(source="order.shipping_total",
                                help_text="The shipping (net of VAT where prices include it)")
    tax_total = MoneyField(source="order.tax_total", help_text="Sales tax added, or the VAT the prices include")
    total_charged = MoneyField(source="order.total", help_text="subtotal + shipping_total + tax_total: the charge")
    prices_include_tax = serializers.BooleanField(source="order.prices_include_tax")
    shipping_method = serializers.CharField(source="order.shipping_method_code")
    delivery_window = serializers.SerializerMethodField()

    @extend_schema_field(DeliveryWindowSerializer)
    def get_delivery_window(self, result) -> dict:
        return DeliveryWindowSerializer({"earliest": result.order.delivery_earliest,
                                         "latest": result.order.delivery_latest}).data


class GuestCheckoutCreatedFieldsSerializer(serializers.Serializer):
    """The seed's 201 fields, in the seed's order (the amounts follow them)."""

    order_id = serializers.CharField(source="order.id")
    confirmation_token = serializers.CharField(source="order.confirmation_token")
    estimated_delivery = serializers.DateTimeField(
        source="order.estimated_delivery", format="%Y-%m-%dT%H:%M:%SZ",
        help_text="Midnight UTC of the latest day of the shipping method's delivery window")
    total_charged = MoneyField(source="order.total", help_text="subtotal + shipping_total + tax_total: the charge")
    currency = serializers.CharField(source="order.currency")
    checkout_flow = serializers.CharField(source="order.checkout_flow")
    session_id = serializers.CharField()


class GuestCheckoutOutputSerializer(GuestCheckoutCreatedFieldsSerializer, OrderAmountsSerializer):
    """201: the order is paid."""

    @classmethod
    def payload(cls, result) -> dict:
        """The same document as `cls(result).data`, in the same order, built directly: it answers every paid
        checkout, and DRF copies each declared field for every serializer instance."""
        order = result.order
        return {
            "order_id": order.id, "confirmation_token": order.confirmation_token,
            "estimated_delivery": _utc_seconds(order.estimated_delivery), "total_charged": to_money(order.total),
            "currency": order.currency, "checkout_flow": order.checkout_flow, "session_id": result.session_id,
            "subtotal": to_money(order.subtotal), "shipping_total": to_money(order.shipping_total),
            "tax_total": to_money(order.tax_total), "prices_include_tax": order.prices_include_tax,
            "shipping_method": order.shipping_method_code,
            "delivery_window": {"earliest": _iso_date(order.delivery_earliest),
                                "latest": _iso_date(order.delivery_latest)},
        }


def _utc_seconds(value) -> str | None:
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value is not None else None


def _iso_date(value) -> str | None:
    return value.isoformat() if value is not None else None


class GuestCheckoutPendingFieldsSerializer(serializers.Serializer):
    """202: the payment is not finished. `requires_action`: hand `payment_intent_client_secret` to Stripe.js
    (`stripe.handleNextAction`), then send the same request again (a new Idempotency-Key) for the outcome."""

    order_id = serializers.CharField(source="order.id")
    status = serializers.ChoiceField(source="payment.status",
                                     choices=["requires_action", "processing", "requires_capture",
                                              "requires_confirmation"])
    payment_intent_client_secret = serializers.CharField(source="payment.client_secret", allow_blank=True)
    next_action_type = serializers.CharField(source="payment.next_action_type", allow_blank=True,
                                             help_text='"use_stripe_sdk" while 3-D Secure is pending')
    session_id = serializers.CharField()


class GuestCheckoutPendingSerializer(GuestCheckoutPendingFieldsSerializer, OrderAmountsSerializer):
    """202, with the amounts the payment is for."""


class GuestSessionCreateInputSerializer(serializers.Serializer):
    cart_id = serializers.CharField(max_length=64)
    email = serializers.EmailField(max_length=254, required=False, error_messages={
        "invalid": "Email address is not valid", "blank": "Email address is required"})


class GuestSessionUpdateInputSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254, required=False, error_messages={
        "invalid": "Email address is not valid", "blank": "Email address is required"})
    shipping_address = shipping_address_field(required=False)
    shipping_method = serializers.CharField(
        max_length=50, required=False, allow_blank=True,
        help_text='A code offered for the address (shipping-options); "" goes back to the cheapest')
    payment_method_id = serializers.CharField(max_length=100, required=False)


class GuestSessionOutputSerializer(serializers.Serializer):
    """A `GuestSession`; the view puts the seconds it has left in the context (`ttl_remaining_seconds`)."""

    session_id = serializers.CharField()
    cart_id = serializers.CharField()
    email = serializers.CharField()
    ttl_remaining_seconds = serializers.SerializerMethodField()
    created_at = EpochUtcField()
    last_activity = EpochUtcField()
    status = serializers.SerializerMethodField(help_text="Always `active`: an expired session is a 404.")
    shipping_address_complete = serializers.SerializerMethodField()
    payment_method_attached = serializers.SerializerMethodField()
    last_step = serializers.CharField()
    order_id = BlankAsNullField()
    shipping_method = BlankAsNullField(help_text="The shipping method chosen on the session, if any")
    quote = serializers.SerializerMethodField(help_text=(
        "What the checkout costs now once the address is known (by the chosen shipping method, else the "
        "cheapest); null before, or while nothing ships to the address. The view puts it in the context."))

    def get_ttl_remaining_seconds(self, session: GuestSession) -> int:
        return self.context["ttl_remaining_seconds"]

    def get_status(self, session: GuestSession) -> str:
        return "active"

    def get_shipping_address_complete(self, session: GuestSession) -> bool:
        return bool(session.shipping_address)

    def get_payment_method_attached(self, session: GuestSession) -> bool:
        return bool(session.payment_method_id)

    @extend_schema_field(CheckoutQuoteSerializer(allow_null=True))
    def get_quote(self, session: GuestSession) -> dict | None:
        quote = self.context.get("quote")
        return CheckoutQuoteSerializer(quote).data if quote else None

    @classmethod
    def payload(cls, session: GuestSession, *, ttl_remaining_seconds: int, quote=None) -> dict:
        """The same document as `cls(session, context=…).data`, built directly: the session read is the
        hottest read of the API, and DRF copies every declared field for each serializer instance."""
        return {
            "session_id": session.session_id, "cart_id": session.cart_id, "email": session.email,
            "ttl_remaining_seconds": ttl_remaining_seconds, "created_at": iso_utc(session.created_at),
            "last_activity": iso_utc(session.last_activity), "status": "active",
            "shipping_address_complete": bool(session.shipping_address),
            "payment_method_attached": bool(session.payment_method_id), "last_step": session.last_step,
            "order_id": session.order_id or None, "shipping_method": session.shipping_method or None,
            "quote": CheckoutQuoteSerializer(quote).data if quote else None,
        }


class GuestSessionCreatedSerializer(GuestSessionOutputSerializer):
    """The new session plus its bearer token (in the context: only its hash is stored)."""

    session_token = serializers.SerializerMethodField()

    def get_session_token(self, session: GuestSession) -> str:
        return self.context["session_token"]
