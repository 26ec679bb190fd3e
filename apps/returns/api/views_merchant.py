"""Merchant API: the returns of a merchant's own products (Bearer merchant token, or ops staff).

Each return lists only the items of the caller's products; test-order returns are left out.
"""
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.catalog.public import IsMerchantOrOps, merchant_scope

from ..models import ReturnStatus
from ..selectors import returns_for_merchant
from .serializers import ReturnItemOutputSerializer


class MerchantReturnListApi(APIView):
    permission_classes = [IsMerchantOrOps]

    class QuerySerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=ReturnStatus.choices, required=False, allow_null=True,
                                         default=None)

    class OutputSerializer(serializers.Serializer):
        class ReturnSerializer(serializers.Serializer):
            return_id = serializers.CharField()
            order_id = serializers.CharField()
            status = serializers.ChoiceField(choices=ReturnStatus.choices)
            created_at = serializers.DateTimeField()
            items = ReturnItemOutputSerializer(many=True)

        results = ReturnSerializer(many=True)

    @extend_schema(parameters=[OpenApiParameter("status", str, description="Only returns in this status: "
                                                                          + ", ".join(ReturnStatus.values))],
                   responses={200: OutputSerializer}, summary="Returns of the merchant's products",
                   tags=["returns"])
    def get(self, request):
        query = self.QuerySerializer(data={"status": request.query_params.get("status") or None})
        query.is_valid(raise_exception=True)
        status = query.validated_data["status"]
        results = [{
            "return_id": ret.id, "order_id": ret.order_id, "status": ret.status, "created_at": ret.created_at,
            "items": [{"order_line_id": i.order_line_id, "product_id": i.product_id, "name": i.name,
                       "quantity": i.quantity, "reason": i.reason, "note": i.note, "unit_price": i.unit_price,
                       "refund_amount": i.refund_amount} for i in items],
        } for ret, items in returns_for_merchant(merchant_id=merchant_scope(request), status=status)]
        return Response(self.OutputSerializer({"results": results}).data)
