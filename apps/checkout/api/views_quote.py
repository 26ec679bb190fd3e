"""`GET /api/v2/checkout/guest/shipping-options`: the methods that ship a cart to an address, with
their price and delivery window, and the cart's amounts by one of them (rate limited like the session
reads: 30/min per IP)."""
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.ratelimit import RateLimit, RateLimitMixin
from apps.shipping.public import Destination

from ..addresses import COUNTRY_CONSTRAINT, US_STATE_CONSTRAINT, US_ZIP_CONSTRAINT
from ..selectors import cart_view
from ..services.quote import checkout_quote
from .serializers_quote import ShippingOptionsOutputSerializer, ShippingOptionsQuerySerializer

CONSTRAINTS = {
    "cart_id": "Cart id from POST /api/v1/carts (cart_…)",
    "country": COUNTRY_CONSTRAINT,
    "state": US_STATE_CONSTRAINT + " (US only)",
    "zip": US_ZIP_CONSTRAINT,
}

EXAMPLES = [
    OpenApiExample("US address, cheapest method quoted", response_only=True, status_codes=["200"], value={
        "cart_id": "cart_9f3k2m7x", "currency": "USD",
        "options": [
            {"code": "standard", "name": "Standard", "price": 5.99, "currency": "USD", "transit_min_days": 3,
             "transit_max_days": 5, "earliest_delivery": "2025-10-20", "latest_delivery": "2025-10-22",
             "free_shipping_threshold": 50.0},
            {"code": "express", "name": "Express", "price": 14.99, "currency": "USD", "transit_min_days": 1,
             "transit_max_days": 2, "earliest_delivery": "2025-10-16", "latest_delivery": "2025-10-17",
             "free_shipping_threshold": None}],
        "quote": {"shipping_method": "standard", "shipping_method_name": "Standard", "subtotal": 47.99,
                  "shipping_total": 5.99, "tax_total": 3.48, "total_charged": 57.46, "currency": "USD",
                  "prices_include_tax": False, "items_total": 47.99, "shipping_price": 5.99,
                  "delivery_window": {"earliest": "2025-10-20", "latest": "2025-10-22"},
                  "lines": [{"product_id": "prod_cable_usbc", "tax_amount": 3.48, "tax_rate": 0.0725}]}}),
    OpenApiExample("VAT destination (prices include VAT)", response_only=True, status_codes=["200"], value={
        "cart_id": "cart_9f3k2m7x", "currency": "USD",
        "options": [
            {"code": "international", "name": "International", "price": 24.99, "currency": "USD",
             "transit_min_days": 5, "transit_max_days": 10, "earliest_delivery": "2025-10-22",
             "latest_delivery": "2025-10-29", "free_shipping_threshold": None}],
        "quote": {"shipping_method": "international", "shipping_method_name": "International", "subtotal": 100.0,
                  "shipping_total": 21.0, "tax_total": 22.99, "total_charged": 143.99, "currency": "USD",
                  "prices_include_tax": True, "items_total": 119.0, "shipping_price": 24.99,
                  "delivery_window": {"earliest": "2025-10-22", "latest": "2025-10-29"},
                  "lines": [{"product_id": "prod_monitor_32in", "tax_amount": 19.0, "tax_rate": 0.19}]}}),
]
UNDELIVERABLE_EXAMPLE = OpenApiExample("Nothing ships there", value={
    "errors": [{"field": "shipping_address", "code": "UNDELIVERABLE_ADDRESS",
                "message": "We do not ship to BR. Use an address in a country we deliver to.",
                "constraint": "an address that at least one shipping method reaches (see GET "
                              "/api/v2/checkout/guest/shipping-options)"}],
    "request_id": "req_8c1f2b7d"})
BAD_INPUT_EXAMPLE = OpenApiExample("Bad ZIP code", value={
    "errors": [{"field": "zip", "code": "INVALID_FORMAT", "message": "'9410' is not a valid US ZIP code",
                "constraint": US_ZIP_CONSTRAINT}], "request_id": "req_3b9d0e1a"})
CART_NOT_FOUND_EXAMPLE = OpenApiExample("Unknown cart", value={
    "error": "CART_NOT_FOUND", "message": "Cart cart_nope does not exist or has expired", "request_id": "req_5e2a"})


class ShippingOptionsApi(RateLimitMixin, APIView):
    authentication_classes: list = []
    rate_limit = RateLimit(scope="guest_shipping_options", limit=30)
    error_constraints = CONSTRAINTS

    @extend_schema(parameters=[ShippingOptionsQuerySerializer], examples=EXAMPLES, responses={
        200: ShippingOptionsOutputSerializer,
        404: OpenApiResponse(OpenApiTypes.OBJECT, description="CART_NOT_FOUND: no such cart, or it expired",
                             examples=[CART_NOT_FOUND_EXAMPLE]),
        422: OpenApiResponse(OpenApiTypes.OBJECT, description=(
            "Bad query parameters (field errors), UNDELIVERABLE_ADDRESS on shipping_address when no method "
            "ships there, INVALID_CHOICE on shipping_method for a method that does not"),
            examples=[BAD_INPUT_EXAMPLE, UNDELIVERABLE_EXAMPLE]),
        503: OpenApiResponse(description="The tax provider is unreachable; retry after Retry-After seconds"),
    })
    def get(self, request):
        query = ShippingOptionsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        cart = cart_view(cart_id=params["cart_id"])
        quote = checkout_quote(cart=cart, destination=Destination(country=params["country"], state=params["state"],
                                                                  zip=params["zip"]),
                               shipping_method=params["shipping_method"], placed_at=timezone.now())
        return Response(ShippingOptionsOutputSerializer(
            {"cart_id": cart.cart_id, "currency": cart.currency, "options": quote.options, "quote": quote}).data)
