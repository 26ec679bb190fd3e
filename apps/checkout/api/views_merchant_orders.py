"""Merchant API of orders after payment (Bearer merchant token, or ops staff with the orders' permissions).

`GET /api/v1/merchant/orders` lists the orders holding the caller's products with only those
lines; `POST …/fulfillments` records a parcel (honours `Idempotency-Key`); `POST
…/fulfillments/{id}/delivered` marks a parcel arrived for carriers without tracking.
"""
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.idempotency import IDEMPOTENCY_KEY_HEADER, IdempotencyMixin
from apps.core.merchant_access import IsMerchantOrOps, merchant_scope
from apps.core.money import MoneyField

from ..models import Order
from ..selectors import MERCHANT_ORDER_STATUSES, merchant_order_list, merchant_orders_view
from ..services.fulfillment import FulfillmentLineInput, fulfillment_create, fulfillment_mark_delivered

ERRORS = {
    401: OpenApiResponse(description="UNAUTHORIZED (error envelope)"),
    403: OpenApiResponse(description="FORBIDDEN: ops staff without checkout.view_order (to list) or "
                                     "checkout.change_order (to ship)"),
    404: OpenApiResponse(description="ORDER_NOT_FOUND, ORDER_LINE_NOT_FOUND or FULFILLMENT_NOT_FOUND: "
                                     "unknown, or not holding the caller's products"),
    409: OpenApiResponse(description="ORDER_BUSY or IDEMPOTENCY_KEY_IN_USE"),
    422: OpenApiResponse(description="ORDER_NOT_FULFILLABLE (unpaid, cancelled), OVER_FULFILLMENT or invalid "
                                     "input: `{errors: [{field, code, message, constraint}]}`"),
}


class IsMerchantOrOrderStaff(IsMerchantOrOps):
    """A merchant token holder (scoped to its own lines), or ops staff holding the orders' permissions —
    the same ones the admin's orders need: view to list, change to ship or mark delivered."""

    def has_permission(self, request, view) -> bool:
        super().has_permission(request, view)
        if merchant_scope(request) is not None:
            return True
        needed = "checkout.view_order" if request.method in SAFE_METHODS else "checkout.change_order"
        if not request.user.has_perm(needed):
            raise PermissionDenied(f"Staff need the '{needed}' permission for orders; ask an admin to grant it.")
        return True


class FulfillmentLineOutput(serializers.Serializer):
    order_line_id = serializers.CharField()
    quantity = serializers.IntegerField()


class FulfillmentOutput(serializers.Serializer):
    fulfillment_id = serializers.CharField(source="id")
    order_id = serializers.CharField()
    carrier = serializers.CharField()
    tracking_number = serializers.CharField()
    shipped_at = serializers.DateTimeField(source="created_at")
    delivered_at = serializers.DateTimeField(allow_null=True)
    lines = FulfillmentLineOutput(many=True, source="lines.all")


class FulfillmentResultOutput(FulfillmentOutput):
    order_status = serializers.ChoiceField(choices=Order.Status.choices, source="order.status")


class MerchantOrderLineOutput(serializers.Serializer):
    order_line_id = serializers.CharField(source="line.pk")
    product_id = serializers.CharField(source="line.product_id")
    sku = serializers.CharField(source="line.sku")
    name = serializers.CharField(source="line.name")
    quantity = serializers.IntegerField(source="line.quantity")
    quantity_fulfilled = serializers.IntegerField()
    unit_price = MoneyField(source="line.unit_price")
    line_total = MoneyField(source="line.line_total")


class MerchantOrderOutput(serializers.Serializer):
    order_id = serializers.CharField(source="order.id")
    status = serializers.ChoiceField(choices=MERCHANT_ORDER_STATUSES,
                                     help_text="Of the caller's lines: paid (units left to ship), shipped, delivered")
    order_status = serializers.ChoiceField(choices=Order.Status.choices, source="order.status")
    currency = serializers.CharField(source="order.currency")
    paid_at = serializers.DateTimeField(source="order.paid_at", allow_null=True)
    shipped_at = serializers.DateTimeField(source="order.shipped_at", allow_null=True)
    delivered_at = serializers.DateTimeField(source="order.delivered_at", allow_null=True)
    shipping_address = serializers.DictField(source="order.shipping_address", child=serializers.CharField(
        allow_blank=True))
    lines = MerchantOrderLineOutput(many=True)
    fulfillments = FulfillmentOutput(many=True)


class MerchantOrderListOutput(serializers.Serializer):
    orders = MerchantOrderOutput(many=True)
    total = serializers.IntegerField()
    page = serializers.IntegerField()
    per_page = serializers.IntegerField()


class MerchantOrderListApi(APIView):
    """Orders with the caller's products, oldest paid first, only the caller's lines, paginated."""

    permission_classes = [IsMerchantOrOrderStaff]

    class MerchantOrderListQuery(serializers.Serializer):
        status = serializers.ChoiceField(choices=MERCHANT_ORDER_STATUSES, required=False)
        page = serializers.IntegerField(min_value=1, max_value=10_000, default=1)
        per_page = serializers.IntegerField(min_value=1, max_value=100, default=20)

    @extend_schema(parameters=[MerchantOrderListQuery], responses={200: MerchantOrderListOutput, **ERRORS},
                   operation_id="merchant_order_list", summary="Orders holding the merchant's products",
                   tags=["merchant orders"])
    def get(self, request):
        query = self.MerchantOrderListQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        merchant_id = merchant_scope(request)
        orders = merchant_order_list(merchant_id=merchant_id, status=params.get("status"))
        page, per_page = params["page"], params["per_page"]
        rows = list(orders[(page - 1) * per_page: page * per_page])
        return Response(MerchantOrderListOutput({
            "orders": merchant_orders_view(orders=rows, merchant_id=merchant_id), "total": orders.count(),
            "page": page, "per_page": per_page}).data)


class FulfillmentCreateApi(IdempotencyMixin, APIView):
    """Record a parcel of the caller's lines: the order becomes partially_shipped or shipped."""

    permission_classes = [IsMerchantOrOrderStaff]
    idempotency_scope = "merchant_fulfillment_create"
    error_constraints = {"lines": "at least one {order_line_id, quantity}", "carrier": "1-50 characters"}

    class FulfillmentCreateInput(serializers.Serializer):
        class FulfillmentLineItemInput(serializers.Serializer):
            order_line_id = serializers.IntegerField(min_value=1)
            quantity = serializers.IntegerField(min_value=1, max_value=100_000)

        lines = FulfillmentLineItemInput(many=True, allow_empty=False, max_length=200)
        carrier = serializers.CharField(max_length=50)
        tracking_number = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")

    @extend_schema(request=FulfillmentCreateInput, responses={201: FulfillmentResultOutput, **ERRORS},
                   parameters=[IDEMPOTENCY_KEY_HEADER],
                   operation_id="merchant_fulfillment_create", summary="Fulfil lines of an order",
                   tags=["merchant orders"])
    def post(self, request, order_id: str):
        data = self.FulfillmentCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        fulfillment = fulfillment_create(
            order_id=order_id, merchant_id=merchant_scope(request), carrier=data.validated_data["carrier"],
            tracking_number=data.validated_data["tracking_number"],
            lines=[FulfillmentLineInput(line["order_line_id"], line["quantity"])
                   for line in data.validated_data["lines"]])
        return Response(FulfillmentResultOutput(fulfillment).data, status=status.HTTP_201_CREATED)


class FulfillmentDeliveredApi(APIView):
    """Mark a parcel delivered (carriers without tracking); the order is delivered when all are."""

    permission_classes = [IsMerchantOrOrderStaff]

    @extend_schema(request=None, responses={200: FulfillmentResultOutput, **ERRORS},
                   operation_id="merchant_fulfillment_delivered", summary="Mark a fulfillment delivered",
                   tags=["merchant orders"])
    def post(self, request, order_id: str, fulfillment_id: str):
        fulfillment = fulfillment_mark_delivered(order_id=order_id, fulfillment_id=fulfillment_id,
                                                 merchant_id=merchant_scope(request))
        fulfillment.order.refresh_from_db()
        return Response(FulfillmentResultOutput(fulfillment).data)
