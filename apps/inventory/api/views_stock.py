"""Stock endpoints: read, set (a count) and adjust (a movement) one product's stock; both write the ledger."""
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.catalog.public import product_info
from apps.core.merchant_access import IsMerchantOrOps, merchant_scope

from ..errors import ProductNotFound
from ..selectors import stock_level_get, stock_movement_list
from ..services import stock_level_ensure, stock_movement_record, stock_set
from . import serializers as s

PRODUCT_PARAM = OpenApiParameter("product_id", str, OpenApiParameter.PATH)


def _visible_product(request, product_id: str) -> None:
    if product_info(product_id=product_id, merchant_id=merchant_scope(request)) is None:
        raise ProductNotFound()


def _stock_response(product_id: str) -> Response:
    stock_level_ensure(product_id=product_id)
    return Response(s.StockOutput(stock_level_get(product_id=product_id)).data)


class StockApi(APIView):
    """GET a product's stock; PUT `{"quantity": N}` sets the counted quantity (ledger: reason "set")."""

    permission_classes = [IsMerchantOrOps]

    @extend_schema(responses={200: s.StockOutput}, parameters=[PRODUCT_PARAM], operation_id="stock_get")
    def get(self, request, product_id: str):
        _visible_product(request, product_id)
        return _stock_response(product_id)

    @extend_schema(request=s.StockSetInput, responses={200: s.StockOutput}, parameters=[PRODUCT_PARAM],
                   operation_id="stock_set")
    def put(self, request, product_id: str):
        _visible_product(request, product_id)
        data = s.StockSetInput(data=request.data)
        data.is_valid(raise_exception=True)
        stock_set(product_id=product_id, quantity=data.validated_data["quantity"], note=data.validated_data["note"])
        return _stock_response(product_id)


class StockAdjustmentApi(APIView):
    """POST `{"delta": N, "reason": ...}` records a movement (409 OUT_OF_STOCK below zero); GET lists the ledger."""

    permission_classes = [IsMerchantOrOps]
    error_constraints = {"delta": "non-zero integer", "reason": "adjustment, restock, return or damage"}

    @extend_schema(request=s.AdjustmentInput, responses={201: s.MovementOutput}, parameters=[PRODUCT_PARAM],
                   operation_id="stock_adjust")
    def post(self, request, product_id: str):
        _visible_product(request, product_id)
        data = s.AdjustmentInput(data=request.data)
        data.is_valid(raise_exception=True)
        body = data.validated_data
        movement = stock_movement_record(product_id=product_id, delta=body["delta"], reason=body["reason"],
                                         note=body["note"])
        return Response(s.MovementOutput(movement).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: s.MovementListOutput}, parameters=[PRODUCT_PARAM], operation_id="stock_movements")
    def get(self, request, product_id: str):
        _visible_product(request, product_id)
        movements = stock_movement_list(product_id=product_id)
        return Response(s.MovementListOutput({"movements": movements}).data)
