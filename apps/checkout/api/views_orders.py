"""Shopper API of a placed order: `POST /api/v1/orders/{order_id}/cancel`.

The owner proves the order: signed in with the order's email verified, or as a guest with the order's
email and confirmation token in the body. Anything else answers 404 `ORDER_NOT_FOUND`, the same
as an order that does not exist, so guessing ids reveals nothing.
"""
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.public import verified_email
from apps.core.money import MoneyField
from apps.core.ratelimit import RateLimit, RateLimitMixin

from ..errors import OrderNotFound
from ..models import Order
from ..public import order_guest_verify
from ..selectors import order_get
from ..services.cancellation import order_cancel


def order_owned_by(request, *, order_id: str, email: str, confirmation_token: str) -> bool:
    """Signed in with the order's email *verified* (an account's unverified address proves nothing), or the
    guest's email and confirmation token."""
    own_email = verified_email(request.user)
    order = order_get(order_id=order_id) if own_email else None
    if order is not None and order.email.lower() == own_email:
        return True
    return order_guest_verify(order_id=order_id, email=email, confirmation_token=confirmation_token)


class OrderCancelApi(RateLimitMixin, APIView):
    """Cancel a paid order before anything shipped: full refund, stock released, status cancelled.
    Cancelling again answers the cancelled order (no second refund), so a retry needs no key."""

    authentication_classes = [SessionAuthentication]
    rate_limit = RateLimit(scope="order_cancel", limit=30)

    class OrderCancelInput(serializers.Serializer):
        email = serializers.EmailField(required=False, allow_blank=True, default="")
        confirmation_token = serializers.CharField(required=False, allow_blank=True, default="", max_length=64)

    class OrderCancelOutput(serializers.Serializer):
        order_id = serializers.CharField(source="id")
        status = serializers.ChoiceField(choices=Order.Status.choices)
        currency = serializers.CharField()
        refunded_amount = MoneyField(source="total")

    @extend_schema(request=OrderCancelInput, responses={
        200: OrderCancelOutput,
        404: OpenApiResponse(description="ORDER_NOT_FOUND: unknown, or the proof does not match"),
        409: OpenApiResponse(description="ORDER_ALREADY_SHIPPED (with `returns_url`), ORDER_NOT_CANCELLABLE or "
                                         "ORDER_BUSY"),
        422: OpenApiResponse(description="Validation errors"),
        502: OpenApiResponse(description="PAYMENT_GATEWAY_UNAVAILABLE: nothing changed, retry later")},
        summary="Cancel an order (owner)", operation_id="order_cancel", tags=["orders"])
    def post(self, request, order_id: str):
        data = self.OrderCancelInput(data=request.data)
        data.is_valid(raise_exception=True)
        if "\x00" in order_id or not order_owned_by(request, order_id=order_id[:64], **data.validated_data):
            raise OrderNotFound()
        order = order_cancel(order_id=order_id, actor="shopper")
        return Response(self.OrderCancelOutput(order).data)
